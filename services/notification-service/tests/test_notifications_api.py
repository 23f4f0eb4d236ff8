"""The notification history: filters, pagination, the rendered message, retrying a failure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from datapact_common.events import EventEnvelope
from notification_service.config import get_settings
from notification_service.database import sync_sessionmaker
from notification_service.events.models import Event
from notification_service.events.processing import process
from notification_service.notifications.models import Notification
from notification_service.recipients.contract import ContractView

URL = "/api/v1/notifications"


def processed(event: dict[str, Any], contract: dict[str, Any] | None) -> uuid.UUID:
    """Store and process an event the way the worker does (committed)."""
    with sync_sessionmaker()() as session, session.begin():
        row = Event(**EventEnvelope.model_validate(event).model_dump(mode="python"))
        session.add(row)
        session.flush()
        view = ContractView.from_document(contract) if contract else None
        process(session, row, view, get_settings())
        return row.id


@pytest.fixture
def history(clean: str, new_event: Any, new_contract: Any) -> dict[str, uuid.UUID]:
    drift = processed(new_event("schema_drift", fields=["amount"]), new_contract())
    deprecated = processed(new_event("deprecation_warning", "customers"), new_contract("customers"))
    return {"drift": drift, "deprecated": deprecated}


async def test_filters_and_pagination(
    api: httpx.AsyncClient, history: dict[str, uuid.UUID], admin_headers: dict[str, str]
) -> None:
    everything = (await api.get(URL)).json()
    assert everything["total"] == 7  # 3 for the drift (field filter), 4 for the deprecation
    assert everything["limit"] == 50 and everything["skip"] == 0

    by_contract = (await api.get(URL, params={"contract": "customers"})).json()
    assert by_contract["total"] == 4
    assert {n["event_type"] for n in by_contract["notifications"]} == {"deprecation_warning"}

    by_recipient = (
        await api.get(URL, params={"recipient": "FINANCE@corp.example"}, headers=admin_headers)
    ).json()
    assert by_recipient["total"] == 2
    assert {n["recipient"] for n in by_recipient["notifications"]} == {"finance@corp.example"}

    by_type = (await api.get(URL, params={"type": "schema_drift"})).json()
    assert by_type["total"] == 3

    by_event = (await api.get(URL, params={"event_id": str(history["drift"])})).json()
    assert by_event["total"] == 3

    assert (await api.get(URL, params={"status": "pending"})).json()["total"] == 7
    assert (await api.get(URL, params={"status": "sent"})).json()["total"] == 0

    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert (await api.get(URL, params={"since": future})).json()["total"] == 0
    past = (datetime.now(UTC) - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert (await api.get(URL, params={"since": past})).json()["total"] == 7

    pages = [(await api.get(URL, params={"limit": 3, "skip": skip})).json() for skip in (0, 3, 6)]
    ids = [n["id"] for page in pages for n in page["notifications"]]
    assert len(ids) == len(set(ids)) == 7 and all(p["total"] == 7 for p in pages)


async def test_detail_has_the_rendered_message(
    api: httpx.AsyncClient, history: dict[str, uuid.UUID], admin_headers: dict[str, str]
) -> None:
    listed = (
        await api.get(
            URL,
            params={"recipient": "owner@sales.example", "contract": "orders"},
            headers=admin_headers,
        )
    ).json()
    item = listed["notifications"][0]
    assert "body_html" not in item  # the list stays small
    detail = (await api.get(f"{URL}/{item['id']}", headers=admin_headers)).json()
    assert detail["recipient"] == "owner@sales.example"
    assert detail["subject"].startswith("[DataPact]") and "orders" in detail["subject"]
    assert "http://dashboard.test/contracts/orders" in detail["body_text"]
    assert detail["body_html"].startswith("<!DOCTYPE html>")
    assert detail["message_id"] == f"<{item['id']}@datapact>"
    assert detail["reason"] == "publisher (sales)"


async def test_bad_filters_are_422(api: httpx.AsyncClient) -> None:
    for params in (
        {"type": "nope"},
        {"status": "lost"},
        {"since": "yesterday"},
        {"limit": 1000},
        {"event_id": "x"},
        {"recipient": "a\x00b"},
    ):
        response = await api.get(URL, params=params)
        assert response.status_code == 422, params
        detail = response.json()["detail"]
        assert detail.startswith("invalid request") or "not an ISO-8601" in detail
    assert (await api.get(f"{URL}/{uuid.uuid4()}")).status_code == 404


async def test_retry_a_failed_notification(
    api: httpx.AsyncClient,
    history: dict[str, uuid.UUID],
    admin_headers: dict[str, str],
    service_headers: dict[str, str],
    publisher_headers: dict[str, str],
) -> None:
    target = (await api.get(URL, params={"limit": 1})).json()["notifications"][0]["id"]
    refused = await api.post(f"{URL}/{target}/retry", headers=admin_headers)
    assert refused.status_code == 409 and "only failed ones" in refused.json()["detail"]

    with sync_sessionmaker()() as session, session.begin():
        session.execute(
            update(Notification)
            .where(Notification.id == uuid.UUID(target))
            .values(status="failed", attempts=6, last_error="SMTP down")
        )
    assert (await api.post(f"{URL}/{target}/retry", headers=publisher_headers)).status_code == 403
    assert (await api.post(f"{URL}/{target}/retry", headers=service_headers)).status_code == 403
    retried = await api.post(f"{URL}/{target}/retry", headers=admin_headers)
    assert retried.status_code == 200
    assert retried.json()["status"] == "pending" and retried.json()["attempts"] == 0
    assert retried.json()["last_error"] == "SMTP down"  # kept until it is sent
