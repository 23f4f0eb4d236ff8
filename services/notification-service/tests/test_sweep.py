"""The sweep: re-enqueues what a crash or a lost message left behind, once per grace period,
and sends a digest of what the rate limit held back."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from typing import Any

import pytest
import redis
from sqlalchemy import func, select, update

from datapact_common.events import EventEnvelope
from notification_service.config import get_settings
from notification_service.database import delivery_engine, sync_sessionmaker
from notification_service.events.models import Event
from notification_service.events.processing import process
from notification_service.notifications import repository as notifications
from notification_service.notifications.models import Notification
from notification_service.preferences.models import Preference
from notification_service.recipients.contract import ContractView
from notification_service.tasks.sweep import sweep
from notification_service.tasks.sweep_impl import send_digests


@pytest.fixture
def queue(clean: str) -> redis.Redis:
    client = redis.Redis.from_url(get_settings().redis_url)
    client.delete(get_settings().celery_queue)
    return client


def queued(client: redis.Redis) -> int:
    return int(client.llen(get_settings().celery_queue))


def store(event: dict[str, Any], *, processed: bool = False, contract: Any = None) -> uuid.UUID:
    with sync_sessionmaker()() as session, session.begin():
        row = Event(**EventEnvelope.model_validate(event).model_dump(mode="python"))
        row.enqueued_at = func.now()  # as the API stores it, just before queueing it
        session.add(row)
        session.flush()
        if processed:
            view = ContractView.from_document(contract)
            process(
                session, row, view, get_settings().model_copy(update={"rate_limit_per_hour": 1})
            )
        return row.id


def age(model: Any, **values: Any) -> None:
    with sync_sessionmaker()() as session, session.begin():
        session.execute(update(model).values(**values))


def test_unprocessed_event_is_enqueued_once_per_grace_period(
    queue: redis.Redis, new_event: Any
) -> None:
    event_id = store(new_event())
    assert sweep()["events"] == 0  # just stored: its own wake-up is still on its way
    age(Event, enqueued_at=Event.received_at - timedelta(hours=1))

    assert sweep()["events"] == 1 and queued(queue) == 1
    assert sweep()["events"] == 0  # re-enqueued just now: not again until the grace ends
    with sync_sessionmaker()() as session:
        assert session.get(Event, event_id).processed_at is None  # type: ignore[union-attr]


def test_event_waiting_for_its_retry_is_left_alone(queue: redis.Redis, new_event: Any) -> None:
    store(new_event())
    age(Event, enqueued_at=None, next_attempt_at=Event.received_at + timedelta(hours=1))
    assert sweep()["events"] == 0


def test_sending_with_an_expired_lease_is_taken_back(
    queue: redis.Redis, new_event: Any, new_contract: Any
) -> None:
    store(new_event(), processed=True, contract=new_contract(subscribers=[]))
    assert sweep()["notifications"] == 0
    age(Notification, status="sending", lease_until=Notification.created_at - timedelta(seconds=1))
    assert sweep()["notifications"] == 1
    assert sweep()["notifications"] == 1  # until someone claims it, every sweep offers it


def test_digest_of_rate_limited_notifications(
    queue: redis.Redis, new_event: Any, new_contract: Any
) -> None:
    contract = new_contract(subscribers=[])
    for i in range(4):  # rate limit 1: one goes, three are held back
        store(new_event(dedup_key=f"k{i}"), processed=True, contract=contract)
    assert send_digests() == []  # not an hour old yet
    age(Notification, created_at=Notification.created_at - timedelta(minutes=61))

    digests = send_digests()
    assert len(digests) == 1
    with sync_sessionmaker()() as session:
        digest = session.get(Notification, digests[0])
        assert digest is not None
        assert digest.event_type == "digest" and digest.status == "pending"
        assert digest.recipient == "owner@sales.example" and digest.event_id is None
        assert "3 notification(s)" in digest.subject
        held = session.scalars(
            select(Notification).where(Notification.digest_id == digest.id)
        ).all()
        assert len(held) == 3 and {n.suppressed_reason for n in held} == {"rate_limited"}
    assert send_digests() == []  # each held notification is summarised once


def test_no_digest_for_who_turned_it_off(
    queue: redis.Redis, new_event: Any, new_contract: Any
) -> None:
    with sync_sessionmaker()() as session, session.begin():
        session.add(Preference(email="owner@sales.example", digest=False))
    contract = new_contract(subscribers=[])
    for i in range(2):
        store(new_event(dedup_key=f"k{i}"), processed=True, contract=contract)
    age(Notification, created_at=Notification.created_at - timedelta(minutes=61))
    assert send_digests() == []


def test_a_batch_is_claimed_at_once_and_what_was_not_sent_can_be_given_back(
    queue: redis.Redis, new_event: Any, new_contract: Any
) -> None:
    """The send task's batch claim: claimable rows only, each under the lease; a claim given
    back is pending and due again with its attempt not counted, and only by its holder."""
    contract = new_contract(subscribers=[])
    for i in range(3):
        store(new_event(dedup_key=f"b{i}"), processed=True, contract=contract)
    with sync_sessionmaker()() as session:
        ids = list(session.scalars(select(Notification.id).where(Notification.status == "pending")))
    assert len(ids) == 1  # rate limit 1: the others are held back (suppressed)
    unknown = uuid.uuid4()  # and an id that does not exist
    with delivery_engine().connect() as connection:
        claims = notifications.claim_many(connection, [*ids, unknown], timedelta(seconds=60))
        assert list(claims) == ids and claims[ids[0]].attempts == 1
        assert notifications.claim_many(connection, ids, timedelta(seconds=60)) == {}
        stale = dataclasses.replace(claims[ids[0]], attempts=7)
        assert notifications.release(connection, [stale]) == 0  # not the holder
        assert notifications.release(connection, list(claims.values())) == 1
    with sync_sessionmaker()() as session:
        row = session.get(Notification, ids[0])
        assert row is not None and row.status == "pending" and row.attempts == 0
        assert row.lease_until is None
