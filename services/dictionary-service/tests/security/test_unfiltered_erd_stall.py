"""Finding: `GET /api/v1/erd` without a filter returned 13 MB in 3-8 s, and four at once held
the dictionary's `/health` for 16 s. The ERD is now capped (it says how to filter) and drawn
off the event loop: with several unfiltered ERDs in flight, `/health` keeps answering.

A real uvicorn process over a read model of 1,500 datasets (45,000 fields). The test asserts
that `/health` answers while the ERDs run, not how fast: timings belong in benchmarks."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from datapact_common.db import make_sessionmaker
from datapact_testing.postgres import drop_database, migrated_database
from datapact_testing.processes import ServiceProcess, uvicorn_process
from dictionary_service.database import create_engine
from dictionary_service.sync.apply import apply_snapshots
from dictionary_service.sync.documents import snapshot_from_document

SERVICE_DIR = Path(__file__).resolve().parents[2]
DATASETS = 1500
FIELDS = 30
PARALLEL = 6


def document(number: int) -> dict[str, Any]:
    name = f"dataset_{number:05d}"
    fields: list[dict[str, Any]] = [
        {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True}
    ]
    if number:
        fields.append(
            {
                "name": "parent_id",
                "data_type": "uuid",
                "is_foreign_key": True,
                "foreign_key_reference": f"dataset_{number - 1:05d}.id",
            }
        )
    fields += [
        {"name": f"column_{i}", "data_type": "string", "description": f"Column {i} " * 8}
        for i in range(FIELDS - len(fields))
    ]
    return {
        "id": str(uuid.UUID(int=number + 1)),
        "updated_at": "2026-01-01T00:00:00+00:00",
        "name": name,
        "version": "1.0.0",
        "description": f"Dataset number {number}",
        "status": "active",
        "publisher": {"team": f"team_{number % 20}", "owner": "owner"},
        "schema": fields,
        "subscribers": [{"team": "analytics", "fields_used": ["id"]}],
    }


async def _seed(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            for start in range(0, DATASETS, 250):
                batch = [document(n) for n in range(start, min(start + 250, DATASETS))]
                await apply_snapshots(session, [snapshot_from_document(d) for d in batch])
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def dictionary() -> Iterator[ServiceProcess]:
    url = migrated_database(SERVICE_DIR, "test_dict_erd_stall")
    asyncio.run(_seed(url))
    env = {
        "DICTIONARY_DATABASE_URL": url,
        "ENVIRONMENT": "test",
        "DICTIONARY_SYNC_ENABLED": "false",
        "CONTRACT_SERVICE_URL": "http://127.0.0.1:9",
    }
    try:
        with uvicorn_process("dictionary-api", "dictionary_service.main:app", env=env) as process:
            yield process
    finally:
        drop_database(url.rsplit("/", 1)[1])


async def test_health_answers_while_unfiltered_erds_run(dictionary: ServiceProcess) -> None:
    async with httpx.AsyncClient(base_url=dictionary.base_url or "", timeout=120) as http:
        erds = [
            asyncio.create_task(http.get("/api/v1/erd" if i % 2 else "/api/v1/erd/mermaid"))
            for i in range(PARALLEL)
        ]
        health: list[int] = []
        while not all(task.done() for task in erds):
            health.append((await http.get("/health")).status_code)
        responses = await asyncio.gather(*erds)

    assert health and set(health) == {200}
    for response in responses:
        assert response.status_code == 200, response.text[:500]
    graph = next(r for r in responses if r.headers["content-type"] == "application/json").json()
    assert graph["truncated"] is True and graph["total_datasets"] == DATASETS
    assert "?team=" in graph["message"] and "?dataset=" in graph["message"]
    shown = [n for n in graph["nodes"] if n["type"] == "dataset"]
    assert 0 < len(shown) < DATASETS
    text = next(r for r in responses if r.headers["content-type"].startswith("text/plain")).text
    assert f"of {DATASETS} datasets" in text.splitlines()[1]
