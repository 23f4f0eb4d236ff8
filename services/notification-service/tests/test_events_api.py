"""POST /api/v1/events: who may post, what is refused (and why), and that an id counts once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import psycopg
import pytest

from datapact_common.tokens import Service, create_token
from datapact_testing.postgres import sync_dsn
from datapact_testing.tokens import bearer, internal_service_token

URL = "/api/v1/events"


def stored_events(database: str) -> int:
    with psycopg.connect(sync_dsn(database)) as conn:
        row = conn.execute("SELECT count(*) FROM events").fetchone()
        assert row is not None
        return int(row[0])


async def test_accepts_and_stores_an_event(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any, clean: str
) -> None:
    event = new_event("schema_drift", fields=["amount"])
    response = await api.post(URL, json=event, headers=service_headers)

    assert response.status_code == 202
    assert response.json() == {"id": event["id"], "status": "accepted", "duplicate": False}
    stored = (await api.get(f"{URL}/{event['id']}")).json()
    assert stored["type"] == "schema_drift" and stored["payload"]["fields"] == ["amount"]
    assert stored["dedup_key"] == "schema_drift:orders"  # the envelope's default
    assert stored["processed_at"] is None


async def test_the_same_id_twice_is_accepted_and_stored_once(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any, clean: str
) -> None:
    event = new_event()
    first = await api.post(URL, json=event, headers=service_headers)
    second = await api.post(URL, json=event, headers=service_headers)
    assert first.status_code == second.status_code == 202
    assert second.json() == {"id": event["id"], "status": "accepted", "duplicate": True}
    assert stored_events(clean) == 1


async def test_the_contract_service_posts_too_and_admins_do_not(
    api: httpx.AsyncClient, admin_headers: dict[str, str], new_event: Any
) -> None:
    contracts = bearer(internal_service_token(Service.CONTRACTS, Service.NOTIFICATIONS))
    assert (await api.post(URL, json=new_event(), headers=contracts)).status_code == 202
    refused = await api.post(URL, json=new_event(), headers=admin_headers)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("headers", "status", "says"),
    [
        ({}, 401, "authentication required"),
        ({"Authorization": "Basic abc"}, 401, "Bearer"),
        (bearer("not-a-jwt"), 401, "invalid token"),
        (bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS, "wrong" * 8)), 401,
         "invalid"),
        # the monitor's token for the contract-service is not one for this API
        (bearer(internal_service_token(Service.MONITOR, Service.CONTRACTS)), 401,
         "not meant for the notification-service API"),
        (bearer(create_token("datapact-development-secret-do-not-use-in-production", "bob",
                             teams=["sales"], scopes=["contracts:write"])), 403, "only for"),
        # a service that emits no events
        (bearer(internal_service_token(Service.DICTIONARY, Service.NOTIFICATIONS)), 403,
         "only for compliance-monitor, contract-service"),
    ],
)  # fmt: skip
async def test_only_the_services_that_emit_events(
    api: httpx.AsyncClient, new_event: Any, headers: dict[str, str], status: int, says: str
) -> None:
    response = await api.post(URL, json=new_event(), headers=headers)
    assert response.status_code == status
    assert says in response.json()["detail"]


async def test_unknown_type_says_which_types_exist(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any
) -> None:
    response = await api.post(URL, json=new_event("schema_drfit"), headers=service_headers)
    assert response.status_code == 422
    body = response.json()
    assert "unknown event type 'schema_drfit'" in body["detail"]
    assert "schema_drift" in body["detail"] and body["errors"][0]["loc"] == "type"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"source": ""}, "source"),
        ({"title": None}, "title"),
        ({"occurred_at": "2024-01-01T00:00:00"}, "occurred_at"),  # naive: refused
        ({"severity": "fatal"}, "severity"),
        ({"id": "not-a-uuid"}, "id"),
        ({"surprise": 1}, "surprise"),
        ({"payload": {"pull_request": {"number": "x"}}, "type": "pr_blocked"}, "payload"),
        ({"payload": {"fields": "amount"}}, "payload"),
    ],
)
async def test_malformed_envelope_is_422_naming_the_problem(
    api: httpx.AsyncClient,
    service_headers: dict[str, str],
    new_event: Any,
    change: dict[str, Any],
    loc: str,
    clean: str,
) -> None:
    event = new_event()
    event.update(change)
    response = await api.post(URL, json=event, headers=service_headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"].startswith("invalid event: ")
    assert any(e["loc"].startswith(loc) for e in body["errors"]), body
    assert stored_events(clean) == 0


@pytest.mark.parametrize(
    ("content", "content_type", "status", "says"),
    [
        (b"", "application/json", 400, "empty"),
        (b"{not json", "application/json", 400, "invalid JSON"),
        (b"[1, 2]", "application/json", 422, "JSON object"),
        (b"\xff\xfe", "application/json", 400, "UTF-8"),
        (b"type: schema_drift", "application/yaml", 415, "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "nested"),
    ],
)
async def test_bodies_that_are_not_an_envelope(
    api: httpx.AsyncClient,
    service_headers: dict[str, str],
    content: bytes,
    content_type: str,
    status: int,
    says: str,
) -> None:
    headers = {**service_headers, "content-type": content_type}
    response = await api.post(URL, content=content, headers=headers)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]


async def test_nul_characters_and_deep_payloads_are_refused(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any
) -> None:
    nul = new_event(title="bad \x00 title")
    response = await api.post(URL, json=nul, headers=service_headers)
    assert response.status_code == 422 and "NUL" in response.json()["detail"]

    deep: dict[str, Any] = {}
    node = deep
    for _ in range(40):
        node["x"] = {}
        node = node["x"]
    response = await api.post(
        URL, json=new_event(payload={"details": deep}), headers=service_headers
    )
    assert response.status_code == 422 and "nested deeper" in response.json()["detail"]


async def test_oversized_body_is_413(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any
) -> None:
    event = new_event(payload={"errors": ["x" * 1000] * 1100})
    response = await api.post(URL, json=event, headers=service_headers)
    assert response.status_code == 413


async def test_unknown_event_id_is_404(api: httpx.AsyncClient) -> None:
    response = await api.get(f"{URL}/{uuid.uuid4()}")
    assert response.status_code == 404 and "not found" in response.json()["detail"]
    assert (await api.get(f"{URL}/nope")).status_code == 422


async def test_a_connection_the_database_dropped_costs_no_event(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any, clean: str
) -> None:
    """The ingest engine does not ping on checkout: a dead connection fails the statement,
    which is safe to repeat and is repeated on a fresh connection."""
    assert (await api.post(URL, json=new_event(), headers=service_headers)).status_code == 202
    with psycopg.connect(sync_dsn(clean), autocommit=True) as conn:
        dropped = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert dropped is not None and dropped[0] >= 1
    event = new_event()
    response = await api.post(URL, json=event, headers=service_headers)
    assert response.status_code == 202, response.text
    assert response.json() == {"id": event["id"], "status": "accepted", "duplicate": False}
    assert stored_events(clean) == 2
