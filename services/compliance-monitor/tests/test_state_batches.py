"""Alert states in one script call per batch, answers decoded by pydantic-core, results
encoded once, listing pages asked for at once: the same outcomes as before."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import redis

from compliance_monitor.checks import CheckResult
from compliance_monitor.clients.contracts import (
    MAX_BATCH_RESULTS,
    ContractServiceClient,
    _chunks,
)
from compliance_monitor.clients.http import ResponseError, RetryPolicy, parse_json
from compliance_monitor.errors import UpstreamUnavailableError
from compliance_monitor.monitoring.sweep import Monitor
from compliance_monitor.state import Observation
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.token_source import TokenSource
from datapact_common.tokens import Service


def observation(
    contract: str,
    state: str,
    *,
    fallback: str = "",
    fields: list[str] | None = None,
) -> Observation:
    return Observation(
        contract, "schema", state, fallback, "2026-12-06T05:00:00+00:00", fields or []
    )


async def test_transitions_in_one_call_name_only_changes(
    monitor: Monitor, redis_db: redis.Redis
) -> None:
    state = monitor.state
    first = await state.transitions(
        [
            observation("a", "open", fields=["x"]),  # first failure: opens
            observation("b", "closed"),  # first healthy: nothing to tell
            observation("c", "closed", fallback="open"),  # recorded failure recovers
            observation("d", "open", fallback="open", fields=["y"]),  # known failure
        ]
    )
    assert [t.changed for t in first] == [True, False, True, False]
    assert all(t.added_fields == [] for t in first)

    second = await state.transitions(
        [
            observation("a", "open", fields=["x", "z"]),  # still open, z is new
            observation("b", "open", fields=["q"]),  # opens
            observation("c", "closed"),  # stays closed
            observation("d", "closed"),  # recovers: the opening's since and fields
        ]
    )
    assert [t.changed for t in second] == [False, True, False, True]
    assert second[0].added_fields == ["z"]
    assert second[3].previous_since == "2026-12-06T05:00:00+00:00"
    assert second[3].previous_fields == ["y"]
    assert await state.alert_state("a", "schema") == "open"
    assert json.loads(redis_db.hget("monitor:alert:a:schema", "fields") or b"") == ["x", "z"]
    assert await state.alert_state("d", "schema") == "closed"
    assert redis_db.ttl("monitor:alert:c:schema") > 0

    many = [observation(f"m{i}", "open" if i % 7 == 0 else "closed") for i in range(1200)]
    changed = [i for i, t in enumerate(await state.transitions(many)) if t.changed]
    assert changed == [i for i in range(1200) if i % 7 == 0]
    redis_db.script_flush()  # a Redis that lost the script loads it again
    assert [t.changed for t in await state.transitions(many[:2])] == [False, False]


def test_parse_json_as_the_standard_library() -> None:
    assert parse_json(b'{"a": [1, 2.5, "t", null, true], "b": {"c": 12345678901234567890123}}') == {
        "a": [1, 2.5, "t", None, True],
        "b": {"c": 12345678901234567890123},
    }
    # what pydantic-core refuses and the standard library reads: read as before
    assert parse_json(b'{"s": "\\ud800"}') == {"s": "\ud800"}
    deep = b"[" * 300 + b"]" * 300
    assert parse_json(deep) == json.loads(deep)
    for body in (b'{"a": NaN}', b'{"a": -Infinity}', b"[1, 2", b"\xff", b"[" * 100_000):
        with pytest.raises(ResponseError, match="not JSON"):
            parse_json(body)


def test_chunks_encode_each_result_once_as_json() -> None:
    result = CheckResult(CheckType.VALIDITY, CheckStatus.PASS, "ok", {"n": 1}, rule="c:min")
    results = [(f"contract-{i // 20}", result) for i in range(MAX_BATCH_RESULTS + 10)]
    chunks = _chunks(results)
    assert [len(c) for c in chunks] == [MAX_BATCH_RESULTS, 10]
    contract_id, encoded = chunks[0][0]
    assert json.loads(encoded) == {"contract_id": contract_id, **result.record_body()}


class ListingPages(httpx.AsyncBaseTransport):
    """The real transport, the ``skip`` of every listing page asked recorded; the pages in
    ``unavailable`` are answered 503 here instead of by the contract-service. Closed once
    the pages in flight are read (a failed listing leaves the others running)."""

    def __init__(self, unavailable: frozenset[int] = frozenset()) -> None:
        self.real = httpx.AsyncHTTPTransport()
        self.unavailable = unavailable
        self.asked: list[int] = []
        self.in_flight = 0
        self.idle = asyncio.Event()
        self.idle.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params["skip"])
        self.asked.append(skip)
        if skip in self.unavailable:
            return httpx.Response(503, json={"detail": "down"})
        self.in_flight += 1
        self.idle.clear()
        try:
            answer = await self.real.handle_async_request(request)
            body = b"".join([chunk async for chunk in answer.aiter_raw()])
            return httpx.Response(answer.status_code, headers=answer.headers, content=body)
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self.idle.set()

    async def aclose(self) -> None:
        await self.idle.wait()
        await self.real.aclose()


async def list_contracts(base_url: str, transport: ListingPages) -> list[dict[str, Any]]:
    """Every active contract, listed by the real client, two a page, through ``transport``."""
    async with httpx.AsyncClient(transport=transport) as http:
        client = ContractServiceClient(
            http,
            base_url,
            TokenSource(DEVELOPMENT_SECRET, Service.MONITOR, Service.CONTRACTS),
            RetryPolicy(0, 0.0),
        )
        return await client.active_contracts(2)


async def test_listing_asks_for_pages_at_once_and_gets_every_contract(
    registry: Any, make_document: Callable[..., dict[str, Any]]
) -> None:
    registered = [registry.register(make_document(name=f"listed_{i}")) for i in range(11)]

    pages = ListingPages()
    listed = [d["id"] for d in await list_contracts(registry.base_url, pages)]
    assert len(listed) == 11 and sorted(listed) == sorted(registered)  # each once
    assert sorted(pages.asked) == [0, 2, 4, 6, 8, 10]

    failing = ListingPages(unavailable=frozenset({4}))
    with pytest.raises(UpstreamUnavailableError, match="503"):
        await list_contracts(registry.base_url, failing)  # an unread page fails the listing
    assert 4 in failing.asked
