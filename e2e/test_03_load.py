"""Load on the whole platform: 50 clients updating a small set of shared contracts at once.

Each client reads a contract, publishes the next patch version with a description of its
own, and on 409 (somebody else published first) reads again and retries. Afterwards the
registry's version history must be exactly the set of updates that were answered 200 — none
lost, none doubled — every answer below 500, and one ``contract_updated`` event in the outbox
per published version. ``E2E_LOAD_SECONDS`` (default 60) sets the duration.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from e2e.harness import REPORT, Stack, eventually, publisher_headers

CLIENTS = 50
CONTRACTS = 5
TEAM = "inventory"
SECONDS = float(os.environ.get("E2E_LOAD_SECONDS", "60"))
READ_ONLY = ("id", "created_at", "updated_at", "compliance")


@dataclass
class Tally:
    published: dict[str, list[str]] = field(default_factory=dict)  # contract id -> versions
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    put_seconds: list[float] = field(default_factory=list)


def document(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "version": "1.0.0",
        "description": f"Stock levels per warehouse ({name}).",
        "publisher": {"team": TEAM, "owner": "inventory-data"},
        "schema": [
            {"name": "sku", "data_type": "string", "nullable": False, "is_primary_key": True},
            {"name": "warehouse", "data_type": "string", "nullable": False},
            {"name": "on_hand", "data_type": "integer", "nullable": False},
        ],
        "tags": ["inventory", "load"],
    }


def next_patch(version: str) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    return f"{major}.{minor}.{patch + 1}"


async def client(number: int, base_url: str, ids: list[str], deadline: float, tally: Tally) -> None:
    headers = publisher_headers(TEAM, sub=f"load-client-{number}")
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=headers) as http:
        update = 0
        while time.monotonic() < deadline:
            contract_id = ids[(number + update) % len(ids)]
            update += 1
            try:
                current = await http.get(f"/api/v1/contracts/{contract_id}")
                tally.statuses[current.status_code] += 1
                if current.status_code != 200:
                    tally.errors.append(f"GET {current.status_code}: {current.text[:200]}")
                    continue
                body = current.json()
                while time.monotonic() < deadline:
                    proposed = {k: v for k, v in body.items() if k not in READ_ONLY}
                    proposed["version"] = next_patch(body["version"])
                    proposed["description"] = f"Stock levels (client {number}, update {update})."
                    started = time.monotonic()
                    answer = await http.put(f"/api/v1/contracts/{contract_id}", json=proposed)
                    tally.put_seconds.append(time.monotonic() - started)
                    tally.statuses[answer.status_code] += 1
                    if answer.status_code == 200:
                        version = answer.json()["version"]
                        if version != proposed["version"]:
                            tally.errors.append(f"sent {proposed['version']}, got {version}")
                        tally.published.setdefault(contract_id, []).append(version)
                        break
                    if answer.status_code != 409:
                        tally.errors.append(f"PUT {answer.status_code}: {answer.text[:300]}")
                        break
                    # somebody published first: read the new version and try again
                    refreshed = await http.get(f"/api/v1/contracts/{contract_id}")
                    tally.statuses[refreshed.status_code] += 1
                    if refreshed.status_code != 200:
                        tally.errors.append(f"GET {refreshed.status_code}")
                        break
                    body = refreshed.json()
            except httpx.HTTPError as exc:
                tally.errors.append(f"{type(exc).__name__}: {exc}")


async def run_load(base_url: str, ids: list[str]) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + SECONDS
    await asyncio.gather(*(client(n, base_url, ids, deadline, tally) for n in range(CLIENTS)))
    return tally


def test_concurrent_updates_lose_nothing_and_double_nothing(stack: Stack) -> None:
    with stack.client("contract-api") as api:
        ids = []
        for index in range(CONTRACTS):
            created = api.post(
                "/api/v1/contracts",
                json=document(f"stock_levels_{index}"),
                headers=publisher_headers(TEAM),
            )
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])

    started = time.monotonic()
    tally = asyncio.run(run_load(stack.contract_url, ids))
    elapsed = time.monotonic() - started

    server_errors = {code: n for code, n in tally.statuses.items() if code >= 500}
    assert server_errors == {}, (server_errors, tally.errors[:5], stack.logs("contract-api"))
    assert tally.errors == [], tally.errors[:10]
    total = sum(len(v) for v in tally.published.values())
    assert total > 0

    finals: dict[str, str] = {}
    with stack.client("contract-api") as api:
        for contract_id in ids:
            history = api.get(f"/api/v1/contracts/{contract_id}/versions").json()
            registered = [v["version"] for v in history["versions"]]
            assert registered[0] == "1.0.0"
            published = tally.published.get(contract_id, [])
            assert len(registered[1:]) == len(set(registered[1:])), "a version twice"
            assert sorted(registered[1:]) == sorted(published), (
                f"registry {len(registered) - 1} versions, clients saw {len(published)} succeed"
            )
            # each update proposed "current + 1 patch": the history has no gaps either
            assert registered == [f"1.0.{n}" for n in range(len(registered))]
            assert history["current_version"] == registered[-1]
            finals[history["name"]] = registered[-1]
    events = stack.sql(
        "contract-service",
        "SELECT contract_name, count(*) FROM event_outbox"
        " WHERE event_type = 'contract_updated' AND contract_name LIKE 'stock_levels_%%'"
        " GROUP BY contract_name",
    )
    assert sum(n for _, n in events) == total, events

    # The dictionary's read model catches up with every final version.
    def dictionary_current() -> bool:
        return all(
            stack.get_json("dictionary-api", f"/api/v1/dictionary/datasets/{name}")["version"]
            == version
            for name, version in finals.items()
        )

    eventually(dictionary_current, "the dictionary to show the final versions", timeout=60)

    puts = sorted(tally.put_seconds)
    figures = {
        "clients": CLIENTS,
        "contracts": CONTRACTS,
        "seconds": round(elapsed, 1),
        "published": total,
        "published_per_second": round(total / elapsed, 1),
        "conflicts_409": tally.statuses[409],
        "requests": sum(tally.statuses.values()),
        "put_p50_ms": round(statistics.median(puts) * 1000, 1),
        "put_p95_ms": round(puts[int(len(puts) * 0.95) - 1] * 1000, 1),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
    }
    REPORT.append("load: " + json.dumps(figures))
