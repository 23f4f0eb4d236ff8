"""The worker's decisions, against the real database: recipients, preferences, the dedup
window and the hourly rate limit — every suppression recorded with its reason."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from datapact_common.events import EventEnvelope
from notification_service.config import Settings, get_settings
from notification_service.events import repository as events
from notification_service.events.models import Event
from notification_service.events.processing import process
from notification_service.notifications.models import Notification
from notification_service.preferences.models import Preference
from notification_service.recipients.contract import ContractView
from notification_service.watchers.models import Watcher


def settings(**changes: Any) -> Settings:
    return get_settings().model_copy(update=changes)


def stored(db: Session, event: dict[str, Any]) -> Event:
    row = Event(**EventEnvelope.model_validate(event).model_dump(mode="python"))
    db.add(row)
    db.flush()
    return row


def run(db: Session, event: dict[str, Any], contract: dict[str, Any] | None, **changes: Any):
    row = stored(db, event)
    view = ContractView.from_document(contract) if contract else None
    pending = process(db, row, view, settings(**changes))
    rows = db.scalars(select(Notification).where(Notification.event_id == row.id)).all()
    return row, pending, {n.recipient: n for n in rows}


def test_one_notification_per_recipient_and_the_event_is_processed(
    db: Session, new_event: Any, new_contract: Any
) -> None:
    row, pending, got = run(db, new_event("schema_drift", fields=["amount"]), new_contract())

    assert set(got) == {"owner@sales.example", "finance@corp.example", "bi@corp.example"}
    assert {n.status for n in got.values()} == {"pending"}
    assert set(pending) == {n.id for n in got.values()}
    finance = got["finance@corp.example"]
    assert finance.channel == "email" and finance.template == "schema_drift"
    assert "orders" in finance.subject and finance.body_html and "amount" in finance.body_text
    assert row.processed_at is not None and row.last_error is None
    # Processed events are never picked up again.
    assert row.id not in {e.id for e in events.lock_due(db, 100)}


def test_unknown_contract_is_recorded_and_watchers_still_hear(db: Session, new_event: Any) -> None:
    db.add(Watcher(channel="email", target="w@x.example", contract_name="ghost", created_by="t"))
    db.flush()
    row, _, got = run(db, new_event("schema_drift", "ghost"), None)
    assert set(got) == {"w@x.example"}
    assert row.last_error is not None and "not in the registry" in row.last_error


def test_muted_type_and_minimum_severity_suppress_with_reason(
    db: Session, new_event: Any, new_contract: Any
) -> None:
    db.add(Preference(email="finance@corp.example", muted_types=["schema_drift"]))
    db.add(Preference(email="bi@corp.example", min_severity="critical"))
    db.flush()
    _, pending, got = run(
        db, new_event("schema_drift", fields=["amount"], severity="warning"), new_contract()
    )

    assert got["finance@corp.example"].status == "suppressed"
    assert got["finance@corp.example"].suppressed_reason == "preference"
    assert got["finance@corp.example"].note == "schema_drift is muted"
    assert got["bi@corp.example"].suppressed_reason == "preference"
    assert got["bi@corp.example"].note == "severity warning is below critical"
    assert got["owner@sales.example"].status == "pending"
    assert pending == [got["owner@sales.example"].id]


def test_same_dedup_key_within_the_window_is_a_duplicate(
    db: Session, new_event: Any, new_contract: Any
) -> None:
    contract = new_contract(subscribers=[])
    run(db, new_event("quality_breach", dedup_key="orders:freshness"), contract)
    _, pending, again = run(db, new_event("quality_breach", dedup_key="orders:freshness"), contract)
    assert pending == []
    assert again["owner@sales.example"].suppressed_reason == "duplicate"

    # Another key, or the same key for another type, is news.
    _, pending, other = run(db, new_event("quality_breach", dedup_key="orders:other"), contract)
    assert other["owner@sales.example"].status == "pending"


def test_outside_the_window_the_same_key_is_news_again(
    db: Session, new_event: Any, new_contract: Any
) -> None:
    contract = new_contract(subscribers=[])
    run(db, new_event("quality_breach", dedup_key="k"), contract)
    db.execute(
        update(Notification).values(created_at=Notification.created_at - timedelta(minutes=61))
    )
    _, _, again = run(db, new_event("quality_breach", dedup_key="k"), contract)
    assert again["owner@sales.example"].status == "pending"


def test_a_suppressed_or_failed_notice_does_not_count_as_told(
    db: Session, new_event: Any, new_contract: Any
) -> None:
    contract = new_contract(subscribers=[])
    run(db, new_event("quality_breach", dedup_key="k"), contract)
    db.execute(update(Notification).values(status="failed"))
    _, _, again = run(db, new_event("quality_breach", dedup_key="k"), contract)
    assert again["owner@sales.example"].status == "pending"


def test_rate_limit_per_recipient_per_hour(db: Session, new_event: Any, new_contract: Any) -> None:
    contract = new_contract(subscribers=[])
    statuses = []
    for i in range(4):
        _, _, got = run(
            db, new_event("schema_drift", dedup_key=f"k{i}"), contract, rate_limit_per_hour=3
        )
        n = got["owner@sales.example"]
        statuses.append(n.suppressed_reason or n.status)
    assert statuses == ["pending", "pending", "pending", "rate_limited"]
    held = db.scalars(
        select(Notification).where(Notification.suppressed_reason == "rate_limited")
    ).one()
    assert held.note == "3 notifications in the last hour" and held.digest_id is None


def test_processing_twice_creates_nothing_new(
    db: Session, new_event: Any, new_contract: Any
) -> None:
    row, _, got = run(db, new_event("schema_drift"), new_contract())
    row.processed_at = None
    db.flush()
    again = process(db, row, ContractView.from_document(new_contract()), settings())
    assert again == []
    assert len(db.scalars(select(Notification)).all()) == len(got)


def test_slack_watcher_gets_a_slack_notification(
    db: Session, new_event: Any, new_contract: Any
) -> None:
    db.add(Watcher(channel="slack", target="#data-alerts", team="sales", created_by="t"))
    db.flush()
    _, _, got = run(db, new_event("schema_drift"), new_contract(subscribers=[]))
    slack = got["#data-alerts"]
    assert slack.channel == "slack" and slack.template == "slack/event"
    assert slack.body_html is None and "Open in DataPact" in slack.body_text


def test_ids_are_unique_notification_ids(db: Session, new_event: Any, new_contract: Any) -> None:
    _, pending, _ = run(db, new_event("deprecation_warning"), new_contract())
    assert len(set(pending)) == len(pending) == 4
    assert all(isinstance(p, uuid.UUID) for p in pending)
