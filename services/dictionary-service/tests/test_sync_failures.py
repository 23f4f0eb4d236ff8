"""The sync against a registry that misbehaves (a real HTTP server answering badly).

The contract-service itself never sends these; a proxy in between, a wrong URL or a
half-deployed registry might. The sync must report the problem and keep its data.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from datapact_common.db import make_sessionmaker
from datapact_testing.http_sink import HttpSink
from datapact_testing.postgres import drop_database, migrated_database, truncate_all
from dictionary_service.catalog.models import Dataset
from dictionary_service.database import create_engine
from dictionary_service.sync.client import ContractServiceClient
from dictionary_service.sync.repository import read_state
from dictionary_service.sync.service import Synchronizer

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sync_database() -> Iterator[str]:
    url = migrated_database(SERVICE_DIR, "test_dict_syncfail")
    yield url
    drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
async def sync_engine(sync_database: str) -> AsyncIterator[AsyncEngine]:
    truncate_all(sync_database.rsplit("/", 1)[1])
    engine = create_engine(sync_database)
    yield engine
    await engine.dispose()


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as server:
        yield server


def synchronizer(engine: AsyncEngine, url: str) -> Synchronizer:
    return Synchronizer(
        engine, make_sessionmaker(engine), lambda: ContractServiceClient(url, timeout=2)
    )


def page(contracts: list[dict[str, Any]], next_cursor: str | None = None) -> bytes:
    return json.dumps({"contracts": contracts, "next_cursor": next_cursor}).encode()


def document(name: str, contract_id: str) -> dict[str, Any]:
    return {
        "id": contract_id,
        "created_at": "2026-01-01T00:00:00+00:00",
        "updated_at": "2026-01-02T00:00:00+00:00",
        "name": name,
        "version": "1.0.0",
        "publisher": {"team": "t", "owner": "o"},
        "schema": [{"name": "x", "data_type": "string"}],
    }


async def datasets(engine: AsyncEngine) -> int:
    async with make_sessionmaker(engine)() as session:
        return int((await session.execute(select(func.count()).select_from(Dataset))).scalar_one())


async def test_an_invalid_document_is_skipped_and_the_rest_applied(sync_engine, sink):
    broken = {**document("broken", "0b8e6a55-3f3c-4d8e-9a53-7b1f8f5d2a10"), "schema": []}
    sink.response_body = page([document("good", "5d6c5a3e-8e8b-4f3a-9f0e-2b6d0d8e7c11"), broken])
    result = await synchronizer(sync_engine, sink.url).run()
    assert result.ok and result.applied == 1
    assert result.skipped == ["broken"]
    assert await datasets(sync_engine) == 1
    request = sink.received()[0]
    assert request.path.startswith("/api/v1/contracts?")
    assert "updated_since=1970-01-01" in request.path and "limit=500" in request.path


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (503, b'{"detail": "database unavailable"}', "HTTP 503"),
        (200, b"<html>login page</html>", "unexpected shape"),
        (200, b'{"items": []}', "unexpected shape"),
        (200, page([], next_cursor="same"), "cursor 'same' twice"),
    ],
)
async def test_a_bad_answer_fails_the_run_and_keeps_the_data(
    sync_engine, sink, status, body, message
):
    sink.response_body = page([document("kept", "9a1f5b7e-0c2d-4e3f-8a9b-1c2d3e4f5a6b")])
    assert (await synchronizer(sync_engine, sink.url).run()).ok
    sink.status, sink.response_body = status, body

    result = await synchronizer(sync_engine, sink.url).run()
    assert not result.ok
    assert message in (result.error or "")
    assert await datasets(sync_engine) == 1
    async with make_sessionmaker(sync_engine)() as session:
        state = await read_state(session)
    assert state is not None
    assert state.consecutive_failures == 1 and message in (state.last_error or "")
    assert state.last_success_at is not None


async def test_an_unreachable_registry_is_reported(sync_engine):
    result = await synchronizer(sync_engine, "http://127.0.0.1:9").run()
    assert not result.ok and "unreachable" in (result.error or "")


async def test_a_full_pass_keeps_unchanged_datasets_and_drops_unlisted_ones(sync_engine, sink):
    kept = document("kept", "1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9")
    gone = document("gone", "2e1d0c9b-8a7f-4e6d-9c5b-4a3928170605")
    sink.response_body = page([kept, gone])
    first = await synchronizer(sync_engine, sink.url).run()
    assert first.applied == 2

    sink.response_body = page([kept])  # "gone" is no longer listed; "kept" is unchanged
    full = await synchronizer(sync_engine, sink.url).run(full=True)
    assert full.ok and full.applied == 0 and full.removed == 1
    async with make_sessionmaker(sync_engine)() as session:
        names = (await session.execute(select(Dataset.name))).scalars().all()
    assert names == ["kept"]
