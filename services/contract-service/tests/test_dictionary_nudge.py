"""After a committed change the dictionary is asked to sync; its absence never fails a write."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract_service.background import drain
from contract_service.config import get_settings
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service, decode_token
from datapact_testing.http_sink import HttpSink, RecordedRequest
from datapact_testing.polling import eventually_async


async def received(sink: HttpSink, count: int) -> list[RecordedRequest]:
    # the nudge runs on this event loop: wait without blocking it
    return await eventually_async(
        lambda: sink.received() if len(sink.received()) >= count else None,
        f"{count} nudge(s)",
        within=10,
        diagnose=lambda: f"got {len(sink.received())}",
    )


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
        DEVELOPMENT_SECRET,
        request.headers["Authorization"].removeprefix("Bearer "),
        Service.DICTIONARY,
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
    await drain()  # every nudge this process started has been sent (or failed) by now
    assert dictionary.received() == []
    # and the nudger does send: a committed change after the refused one nudges once
    assert (
        await client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
    ).status_code == 201
    await drain()
    assert len(dictionary.received()) == 1


async def test_a_missing_or_failing_dictionary_never_fails_the_write(
    client: httpx.AsyncClient, contract_factory: Any, create: Any, dictionary: HttpSink
) -> None:
    dictionary.status = 500
    await create(contract_factory("first"))
    dictionary.stop()
    created = await create(contract_factory("second"))
    assert created["name"] == "second"
    await drain()  # the background nudges have failed, quietly
