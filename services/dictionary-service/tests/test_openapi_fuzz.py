"""schemathesis over the OpenAPI of a real dictionary-api process: no 5xx, responses as
documented. The read model holds the Acme example contracts plus a dangling foreign key."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from datapact_common.db import make_sessionmaker
from datapact_common.documents import load_contracts
from datapact_testing.postgres import drop_database, migrated_database
from datapact_testing.processes import ServiceProcess, uvicorn_process
from dictionary_service.database import create_engine
from dictionary_service.sync.apply import apply_snapshots
from dictionary_service.sync.documents import snapshot_from_document

SERVICE_DIR = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "acme"


async def _seed(database_url: str) -> None:
    documents = []
    for number, path in enumerate(sorted(FIXTURES.glob("*.yaml"))):
        for index, contract in enumerate(load_contracts(path.read_text())):
            documents.append(
                {
                    "id": f"00000000-0000-4000-8000-{number:06d}{index:06d}",
                    "updated_at": "2026-01-01T00:00:00+00:00",
                    **contract.to_document(),
                }
            )
    engine = create_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            await apply_snapshots(session, [snapshot_from_document(d) for d in documents])
            await session.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def running_service() -> Iterator[ServiceProcess]:
    url = migrated_database(SERVICE_DIR, "test_dict_fuzz")
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


@pytest.fixture
def api_schema(running_service: ServiceProcess) -> Any:
    return schemathesis.openapi.from_url(f"{running_service.base_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


# The whole run covers every operation: slow on a loaded 2-core machine, not a hang.
@pytest.mark.timeout(900)
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case: Any) -> None:
    case.call_and_validate()
