"""Finding: one request stalled the whole contract-api (`/health` included).

A 2 MB YAML body to `POST /validate` (no token) held the API for 50 s, a 200 KB body to
`POST /{id}/diff` for 5 s, and a PUT or diff of a 10,000-field contract for 30 s: parsing
and the (quadratic) diff ran on the event loop. Each test sends one heavy request to a real
uvicorn process and polls `/health` until it completes: the API must answer `/health` again
and again meanwhile. Before the fix no `/health` answered until the heavy request had.
Nothing here measures speed (benchmarks/diff does).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import httpx

from datapact_common.yaml_io import dump_yaml
from datapact_testing.processes import ServiceProcess

YAML = {"content-type": "application/yaml"}
# `/health` answers needed while the heavy request runs. One could slip in before the heavy
# request starts; more than that means the loop kept serving during the work.
ANSWERS_WHILE_BUSY = 3


async def health_answers_while(
    client: httpx.AsyncClient, heavy: Awaitable[httpx.Response]
) -> tuple[int, httpx.Response]:
    """Poll `/health` one request at a time until ``heavy`` completes: how many answered
    (200) before it did, and its response."""
    task = asyncio.ensure_future(heavy)
    answers = 0
    while not task.done():
        response = await client.get("/health")
        assert response.status_code == 200, response.text
        if not task.done():
            answers += 1
    return answers, await task


def wide_contract(fields: int, version: str, *, changed: bool = False) -> dict[str, Any]:
    schema: list[dict[str, Any]] = [
        {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True}
    ]
    for i in range(1, fields):
        field: dict[str, Any] = {
            "name": f"col_{i:05d}",
            "data_type": "string",
            "description": f"column {i}",
        }
        if changed and i % 3 == 0:
            field["name"] = f"renamed_{i:05d}"
        elif changed and i % 3 == 1:
            field["data_type"] = "integer"
        schema.append(field)
    return {
        "name": "wide_dataset",
        "version": version,
        "publisher": {"team": "commerce", "owner": "orders-service"},
        "schema": schema,
    }


async def test_health_answers_while_the_largest_open_yaml_body_is_parsed(
    api_server: ServiceProcess, clean_db: str
) -> None:
    # just under the 1 MiB cap of the open routes: 262,000 tiny values, refused past 100,000
    body = "k:\n" + "- a\n" * 262_000
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=300) as client:
        heavy = client.post("/api/v1/contracts/validate", content=body, headers=YAML)
        answers, response = await health_answers_while(client, heavy)
    assert answers >= ANSWERS_WHILE_BUSY
    assert response.status_code == 413
    assert response.json()["detail"].startswith("document too large: more than 100000 values")


async def test_a_2_mb_yaml_body_to_validate_is_refused_before_parsing(
    api_server: ServiceProcess, clean_db: str
) -> None:
    body = "k:\n" + "- a\n" * 500_000
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=60) as client:
        response = await client.post("/api/v1/contracts/validate", content=body, headers=YAML)
        assert (await client.get("/health")).status_code == 200
    assert response.status_code == 413
    assert response.json()["detail"] == "request body larger than 1048576 bytes"


async def test_health_answers_while_a_10000_field_contract_is_updated_and_diffed(
    api_server: ServiceProcess, clean_db: str, commerce: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=300) as client:
        created = await client.post(
            "/api/v1/contracts", json=wide_contract(10_000, "1.0.0"), headers=commerce
        )
        assert created.status_code == 201, created.text[:500]
        url = f"/api/v1/contracts/{created.json()['id']}"
        proposed = dump_yaml(wide_contract(10_000, "2.0.0", changed=True))

        results: dict[str, httpx.Response] = {}
        for name, request in (
            ("diff", client.post(f"{url}/diff", content=proposed, headers=YAML)),
            ("put", client.put(url, content=proposed, headers={**YAML, **commerce})),
            ("versions", client.get(f"{url}/diff")),
        ):
            answers, results[name] = await health_answers_while(client, request)
            assert answers >= ANSWERS_WHILE_BUSY, name
    assert results["diff"].status_code == 200, results["diff"].text[:500]
    assert results["diff"].json()["required_bump"] == "major"
    assert results["put"].status_code == 200, results["put"].text[:500]
    assert results["versions"].status_code == 200
    assert len(results["versions"].json()["changes"]) == len(results["diff"].json()["changes"])
