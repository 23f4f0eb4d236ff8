"""Concurrent writers against a real uvicorn process: no lost or duplicate versions, no 500."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from datapact_common.semver import SemVer
from datapact_testing.processes import ServiceProcess


async def test_concurrent_updates_to_one_version_have_exactly_one_winner(
    api_server: ServiceProcess,
    clean_db: str,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
    sql: Any,
) -> None:
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=60) as client:
        created = await client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
        assert created.status_code == 201, created.text
        url = f"/api/v1/contracts/{created.json()['id']}"
        documents = [
            dict(sample_contract, version="1.1.0", description=f"writer {i}") for i in range(24)
        ]
        responses = await asyncio.gather(
            *(client.put(url, json=d, headers=commerce) for d in documents)
        )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 23}, [
        r.text for r in responses if r.status_code not in (200, 409)
    ]
    winner = next(r for r in responses if r.status_code == 200).json()
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.json()["detail"]  # a clear reason, not a stack trace
    assert sql("SELECT version FROM contract_versions ORDER BY created_at") == [
        ("1.0.0",),
        ("1.1.0",),
    ]
    assert sql("SELECT description FROM contracts") == [(winner["description"],)]
    assert sql("SELECT count(*) FROM event_outbox") == [(1,)]


async def test_concurrent_updates_with_different_versions_never_duplicate_or_lose_one(
    api_server: ServiceProcess,
    clean_db: str,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
    sql: Any,
) -> None:
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=60) as client:
        created = await client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
        url = f"/api/v1/contracts/{created.json()['id']}"
        versions = [f"1.{minor}.0" for minor in range(1, 31)]
        documents = [dict(sample_contract, version=v, description=f"release {v}") for v in versions]
        responses = await asyncio.gather(
            *(client.put(url, json=d, headers=commerce) for d in documents)
        )
        final = (await client.get(url)).json()
    assert {r.status_code for r in responses} <= {200, 409}
    accepted = [
        d["version"] for d, r in zip(documents, responses, strict=True) if r.status_code == 200
    ]
    stored = [row[0] for row in sql("SELECT version FROM contract_versions ORDER BY created_at")]
    assert stored[0] == "1.0.0"
    assert sorted(stored[1:], key=SemVer.parse) == sorted(accepted, key=SemVer.parse)
    assert len(stored) == len(set(stored))  # no duplicate version
    # versions only ever rose, and the current one is the highest accepted
    assert [SemVer.parse(v) for v in stored] == sorted(SemVer.parse(v) for v in stored)
    assert final["version"] == max(accepted, key=SemVer.parse)
    assert sql("SELECT count(*) FROM event_outbox") == [(len(accepted),)]


async def test_concurrent_creates_of_one_name_have_one_winner(
    api_server: ServiceProcess,
    clean_db: str,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
    sql: Any,
) -> None:
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=60) as client:
        responses = await asyncio.gather(
            *(
                client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
                for _ in range(16)
            )
        )
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 15}
    assert sql("SELECT count(*) FROM contracts") == [(1,)]
    assert sql("SELECT count(*) FROM contract_versions") == [(1,)]


async def test_concurrent_subscribers_and_updates_keep_the_document_consistent(
    api_server: ServiceProcess,
    clean_db: str,
    sample_contract: dict[str, Any],
    admin: dict[str, str],
) -> None:
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=60) as client:
        created = await client.post("/api/v1/contracts", json=sample_contract, headers=admin)
        url = f"/api/v1/contracts/{created.json()['id']}"
        joins = [
            client.post(f"{url}/subscribers", json={"team": f"team_{i}"}, headers=admin)
            for i in range(12)
        ]
        responses = await asyncio.gather(*joins)
        assert {r.status_code for r in responses} == {201}
        contract = (await client.get(url)).json()
        listed = (await client.get(f"{url}/subscribers")).json()["subscribers"]
    assert sorted(s["team"] for s in contract["subscribers"]) == sorted(s["team"] for s in listed)
    assert len(listed) == 12


async def test_compliance_results_and_updates_at_once_never_fail(
    api_server: ServiceProcess,
    clean_db: str,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
    service: dict[str, str],
    sql: Any,
) -> None:
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=60) as client:
        created = await client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
        url = f"/api/v1/contracts/{created.json()['id']}"
        results = [
            client.post(
                f"{url}/compliance",
                json={"check_type": kind, "status": "pass"},
                headers=service,
            )
            for kind in ("schema", "freshness", "completeness", "availability") * 5
        ]
        updates = [
            client.put(
                url, json=dict(sample_contract, version=f"1.{i}.0", description=f"r{i}"),
                headers=commerce,
            )
            for i in range(1, 11)
        ]  # fmt: skip
        responses = await asyncio.gather(*results, *updates)
        contract = (await client.get(url)).json()
    recorded = responses[: len(results)]
    assert {r.status_code for r in recorded} == {201}, [r.text for r in recorded]
    assert {r.status_code for r in responses[len(results) :]} <= {200, 409}
    assert sql("SELECT count(*) FROM compliance_checks") == [(20,)]
    assert set(contract["compliance"]["checks"]) == {
        "schema", "freshness", "completeness", "availability",
    }  # fmt: skip
