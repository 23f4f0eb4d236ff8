"""After a committed change the dictionary is asked to sync; its absence never fails a write."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from contract_service.config import get_settings
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import decode_token
from datapact_testing.http_sink import HttpSink, RecordedRequest


async def received(sink: HttpSink, count: int, seconds: float = 10) -> list[RecordedRequest]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # the nudge runs on this event loop: never block it
        if len(sink.received()) >= count:
            return sink.received()
        await asyncio.sleep(0.02)
    raise AssertionError(f"expected {count} nudge(s), got {len(sink.received())}")


@pytest.fixture
def dictionary(monkeypatch: pytest.MonkeyPatch) -> Any:
    sink = HttpSink().start()
    settings = get_settings()
    monkeypatch.setattr(settings, "dictionary_nudge_enabled", True)
    monkeypatch.setattr(settings, "dictionary_service_url", sink.url)
    yield sink
    sink.stop()


async def test_create_nudges_the_dictionary_with_a_service_token(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, dictionary: HttpSink
) -> None:
    await create(sample_contract)
    [request] = await received(dictionary, 1)
    assert (request.method, request.path) == ("POST", "/api/v1/dictionary/sync")
    principal = decode_token(
        DEVELOPMENT_SECRET, request.headers["Authorization"].removeprefix("Bearer ")
    )
    assert principal.sub == "service:contract-service" and principal.is_service


async def test_failed_or_refused_changes_do_not_nudge(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
    dictionary: HttpSink,
) -> None:
    bad = dict(sample_contract, name="Bad")
    assert (await client.post("/api/v1/contracts", json=bad, headers=commerce)).status_code == 422
    await asyncio.sleep(0.3)
    assert dictionary.received() == []


async def test_a_missing_or_failing_dictionary_never_fails_the_write(
    client: httpx.AsyncClient, contract_factory: Any, create: Any, dictionary: HttpSink
) -> None:
    dictionary.status = 500
    await create(contract_factory("first"))
    dictionary.stop()
    created = await create(contract_factory("second"))
    assert created["name"] == "second"
    await asyncio.sleep(0.3)  # let the background nudge fail quietly
