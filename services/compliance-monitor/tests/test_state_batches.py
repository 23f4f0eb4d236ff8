"""Alert states in one script call per batch, answers decoded by pydantic-core, results
encoded once, listing pages asked for at once: the same outcomes as before."""

from __future__ import annotations

import json

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


async def test_listing_asks_for_pages_at_once_and_gets_every_contract() -> None:
    asked: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        skip, limit = int(request.url.params["skip"]), int(request.url.params["limit"])
        asked.append(skip)
        page = [{"id": f"c{i}", "name": f"n{i}"} for i in range(skip, min(skip + limit, 11))]
        return httpx.Response(200, json={"contracts": page, "total": 11})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = ContractServiceClient(
            http,
            "http://contracts.test",
            TokenSource("s" * 32, Service.MONITOR, Service.CONTRACTS),
            RetryPolicy(0, 0.0),
        )
        listed = await client.active_contracts(2)
    assert [d["id"] for d in listed] == [f"c{i}" for i in range(11)]
    assert sorted(asked) == [0, 2, 4, 6, 8, 10]

    def failing(request: httpx.Request) -> httpx.Response:
        if request.url.params["skip"] == "4":
            return httpx.Response(503, json={"detail": "down"})
        return answer(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(failing)) as http:
        client = ContractServiceClient(
            http,
            "http://contracts.test",
            TokenSource("s" * 32, Service.MONITOR, Service.CONTRACTS),
            RetryPolicy(0, 0.0),
        )
        with pytest.raises(UpstreamUnavailableError, match="503"):
            await client.active_contracts(2)  # an unread page fails the listing
