"""Events go to the outbox in the change's own transaction and are relayed at least once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from contract_service.config import Settings, get_settings
from contract_service.database import task_sessionmaker
from contract_service.outbox.relay import RelayResult, backoff_seconds, relay_pending
from datapact_common.events import EventEnvelope, EventType
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service, decode_token
from datapact_testing.http_sink import HttpSink


def outbox(sql: Any) -> list[tuple[Any, ...]]:
    return sql(
        "SELECT id, event_type, envelope, attempts, delivered_at, last_error FROM event_outbox"
        " ORDER BY created_at"
    )


async def test_update_writes_a_contract_updated_event(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    document = dict(sample_contract, subscribers=[{"team": "finance", "fields_used": ["total"]}])
    created = await create(document)
    assert outbox(sql) == []  # creating a contract is not an update
    changed = dict(document, version="2.0.0")
    changed["schema"] = [
        {**sample_contract["schema"][0]},
        {"name": "total", "data_type": "float", "nullable": False},
        {"name": "currency", "data_type": "string"},
    ]
    response = await client.put(
        f"/api/v1/contracts/{created['id']}", json=changed, headers=commerce
    )
    assert response.status_code == 200, response.text
    [(event_id, event_type, envelope, attempts, delivered_at, _)] = outbox(sql)
    assert event_type == "contract_updated" and attempts == 0 and delivered_at is None
    event = EventEnvelope.model_validate(envelope)
    assert event.id == event_id and event.type is EventType.CONTRACT_UPDATED
    assert event.source == "contract-service"
    assert (event.contract_name, event.contract_version) == ("test_orders", "2.0.0")
    assert event.severity == "critical"  # a type change is breaking
    payload = event.payload
    assert payload["contract_id"] == created["id"]
    assert (payload["old_version"], payload["new_version"]) == ("1.0.0", "2.0.0")
    assert payload["changed_by"] == "alice" and payload["required_bump"] == "major"
    assert payload["fields"] == ["currency", "total"]
    by_kind = {c["kind"]: c for c in payload["changes"]}
    assert by_kind["type_changed"]["affected_subscribers"] == ["finance"]
    assert by_kind["field_added"]["severity"] == "info"


async def test_refused_or_noop_updates_write_no_event(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    too_small = dict(sample_contract, version="1.0.1", schema=sample_contract["schema"][:1])
    assert (await client.put(url, json=too_small, headers=commerce)).status_code == 409
    assert (await client.put(url, json=sample_contract, headers=commerce)).status_code == 200
    subscribers_only = dict(sample_contract, subscribers=[{"team": "ops"}])
    assert (await client.put(url, json=subscribers_only, headers=commerce)).status_code == 200
    assert outbox(sql) == []


async def test_deprecation_writes_a_deprecation_warning(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    created = await create(dict(sample_contract, subscribers=[{"team": "finance"}]))
    await client.delete(
        f"/api/v1/contracts/{created['id']}", params={"reason": "use orders_v2"}, headers=commerce
    )
    await client.delete(f"/api/v1/contracts/{created['id']}", headers=commerce)  # again: no event
    [(_, event_type, envelope, *_)] = outbox(sql)
    assert event_type == "deprecation_warning"
    event = EventEnvelope.model_validate(envelope)
    assert event.severity == "warning" and event.contract_version == "1.1.0"
    assert event.payload["reason"] == "use orders_v2" and event.payload["changed_by"] == "alice"
    assert event.payload["subscribers"] == ["finance"]


async def test_deprecating_through_put_warns_too(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    created = await create(sample_contract)
    deprecated = dict(sample_contract, version="1.1.0", status="deprecated")
    response = await client.put(
        f"/api/v1/contracts/{created['id']}", json=deprecated, headers=commerce
    )
    assert response.status_code == 200, response.text
    assert [row[1] for row in outbox(sql)] == ["contract_updated", "deprecation_warning"]


def _settings(sink: HttpSink, **extra: Any) -> Settings:
    return get_settings().model_copy(
        update={"notification_service_url": sink.url, "outbox_max_backoff_seconds": 60.0, **extra}
    )


async def _relay(settings: Settings) -> RelayResult:
    async with task_sessionmaker() as sessionmaker:
        return await relay_pending(sessionmaker, settings)


async def _two_events(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, headers: dict[str, str]
) -> None:
    created = await create(sample_contract)
    for version in ("1.0.1", "1.0.2"):
        document = dict(sample_contract, version=version, description=f"v{version}")
        assert (
            await client.put(f"/api/v1/contracts/{created['id']}", json=document, headers=headers)
        ).status_code == 200


async def test_relay_delivers_after_the_notification_service_comes_back(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    await _two_events(client, sample_contract, create, commerce)
    sink = HttpSink()  # not started: the notification service is down
    down = await _relay(_settings(sink))
    assert (down.delivered, down.failed) == (0, 1)  # stops at the first failure
    rows = outbox(sql)
    assert [r[3] for r in rows] == [1, 0] and rows[0][5].startswith("ConnectError")
    assert down.retry_in is not None and down.retry_in == 0.0  # the second row is still due
    # the failed row waits for its backoff; nothing is lost
    sql("UPDATE event_outbox SET next_attempt_at = now()")
    sink.status = 503
    with sink:
        refused = await _relay(_settings(sink))
        assert (refused.delivered, refused.failed) == (0, 1)
        assert "HTTP 503" in outbox(sql)[0][5]
        sink.status = 200
        sql("UPDATE event_outbox SET next_attempt_at = now()")
        up = await _relay(_settings(sink))
        assert (up.delivered, up.failed) == (2, 0)
        requests = sink.received()
    assert [r.path for r in requests] == ["/api/v1/events", "/api/v1/events"]
    sent = [EventEnvelope.model_validate(r.json()) for r in requests]
    rows = outbox(sql)
    assert [e.id for e in sent] == [r[0] for r in rows]
    assert [e.contract_version for e in sent] == ["1.0.1", "1.0.2"]
    assert all(r[4] is not None and r[5] is None for r in rows)
    token = requests[0].headers["Authorization"].split()[1]
    principal = decode_token(DEVELOPMENT_SECRET, token, Service.NOTIFICATIONS)
    assert principal.is_service and principal.sub == "service:contract-service"
    again = await _relay(_settings(sink))
    assert (again.delivered, again.failed, again.retry_in) == (0, 0, None)


async def test_concurrent_relays_send_each_event_once(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    await _two_events(client, sample_contract, create, commerce)
    with HttpSink() as sink:
        results = await asyncio.gather(*(_relay(_settings(sink)) for _ in range(4)))
        assert sum(r.delivered for r in results) == 2
        ids = [r.json()["id"] for r in sink.received()]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert {uuid.UUID(i) for i in ids} == {r[0] for r in outbox(sql)}


@pytest.mark.parametrize(("attempts", "expected"), [(1, 2.0), (3, 8.0), (10, 300.0), (500, 300.0)])
def test_backoff_doubles_up_to_the_cap(attempts: int, expected: float) -> None:
    assert backoff_seconds(attempts, 300.0) == expected
