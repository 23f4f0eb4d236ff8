"""Nothing lost, nothing twice: SMTP outages, retries with backoff, a worker killed mid-send.

The running worker tries 5 times with a 0.5 s exponential backoff and holds a 6 s lease on a
notification it is sending (see conftest WORKER_ENV).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from datapact_common.events import EventEnvelope
from datapact_testing.postgres import sync_dsn
from datapact_testing.tokens import admin_token, bearer

ADMIN = bearer(admin_token())


def one_recipient(live: Any, new_contract: Any) -> None:
    live.registry.register(new_contract(subscribers=[]))


def notification_of(live: Any, event_id: str) -> dict[str, Any]:
    items = live.notifications(event_id=event_id)
    assert len(items) == 1, items
    return dict(items[0])


def test_smtp_down_then_back_the_pending_ones_go(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    one_recipient(live, new_contract)
    live.mailbox.stop()
    event = new_event("deprecation_warning")
    live.post_event(event)

    retrying = live.wait(
        lambda: [
            n
            for n in live.notifications(event_id=event["id"])
            if n["status"] == "pending" and n["attempts"] >= 1 and n["last_error"]
        ],
        what="a failed first try",
    )[0]
    assert "SMTP server 127.0.0.1" in retrying["last_error"]
    assert live.mailbox.messages == []

    live.mailbox.start()
    sent = live.settled(event["id"], count=1)[0]
    assert sent["status"] == "sent" and sent["attempts"] >= 2, sent["last_error"]
    assert sent["last_error"] is None
    assert len(live.mailbox.wait_for(1)) == 1


def test_smtp_down_for_good_fails_with_the_error_kept_and_can_be_retried(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    one_recipient(live, new_contract)
    live.mailbox.stop()
    event = new_event("deprecation_warning")
    live.post_event(event)

    failed = live.settled(event["id"], count=1)[0]
    assert failed["status"] == "failed"
    assert failed["attempts"] == 5
    assert "SMTP server 127.0.0.1" in failed["last_error"]
    assert "Connection refused" in failed["last_error"] or "Errno" in failed["last_error"]

    live.mailbox.start()
    retried = live.http.post(f"/api/v1/notifications/{failed['id']}/retry", headers=ADMIN)
    assert retried.status_code == 200, retried.text
    sent = live.settled(event["id"], count=1)[0]
    assert sent["status"] == "sent"
    assert len(live.mailbox.wait_for(1)) == 1


def test_a_refused_mailbox_fails_at_once_others_still_go(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    live.registry.register(
        new_contract(subscribers=[{"team": "gone", "contact_email": "gone@corp.example"}])
    )
    live.mailbox.collector.refuse.add("gone@corp.example")
    event = new_event("deprecation_warning")
    live.post_event(event)

    settled = {n["recipient"]: n for n in live.settled(event["id"], count=2)}
    gone = settled["gone@corp.example"]
    assert gone["status"] == "failed" and gone["attempts"] == 1  # no point retrying a 550
    assert "550" in gone["last_error"]
    assert settled["owner@sales.example"]["status"] == "sent"
    assert [m["To"] for m in live.mailbox.wait_for(1)] == ["owner@sales.example"]


def test_worker_killed_mid_send_the_email_still_goes_exactly_once(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    one_recipient(live, new_contract)
    live.mailbox.hold_next()  # the next message stops in the middle of DATA
    event = new_event("deprecation_warning")
    live.post_event(event)
    assert live.mailbox.collector.holding.wait(20), live.worker.logs()
    claimed = notification_of(live, event["id"])
    assert claimed["status"] == "sending" and claimed["attempts"] == 1

    live.worker.kill()  # SIGKILL, the whole process group: no cleanup, no ack
    # Release only once the sink saw the connection drop: the held message then never lands.
    assert live.mailbox.collector.dropped.wait(30)
    live.mailbox.release()
    live.start_worker()

    # A fresh worker, a lease to expire, a sweep to reclaim it: generous on a loaded machine.
    sent = live.settled(event["id"], count=1, timeout=90)[0]
    assert sent["status"] == "sent" and sent["attempts"] == 2
    messages = live.mailbox.wait_for(1)
    assert len(messages) == 1
    assert messages[0]["Message-ID"] == f"<{sent['id']}@datapact>"


def test_killed_after_the_server_accepted_the_retry_reuses_the_message_id(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    """The one window no sender can close (docs/notifications.md): the server has the message
    but the worker dies before recording it. The retry carries the same Message-ID, so the
    receiving side can tell it is the same message."""
    one_recipient(live, new_contract)
    live.mailbox.hold_next(store_first=True)
    event = new_event("deprecation_warning")
    live.post_event(event)
    assert live.mailbox.collector.holding.wait(20), live.worker.logs()

    live.worker.kill()
    assert live.mailbox.collector.dropped.wait(30)
    live.mailbox.release()
    live.start_worker()

    # A fresh worker, a lease to expire, a sweep to reclaim it: generous on a loaded machine.
    sent = live.settled(event["id"], count=1, timeout=90)[0]
    assert sent["status"] == "sent" and sent["attempts"] == 2
    copies = live.mailbox.wait_for(2)
    assert {m["Message-ID"] for m in copies} == {f"<{sent['id']}@datapact>"}


def test_event_stored_while_the_worker_is_down_is_processed_when_it_returns(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    one_recipient(live, new_contract)
    live.worker.kill()
    event = new_event("deprecation_warning")
    assert live.post_event(event).status_code == 202
    live.start_worker()
    assert live.settled(event["id"], count=1)[0]["status"] == "sent"


def test_an_event_whose_wake_up_was_lost_is_swept_up(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    """Stored, committed, and then the process died before queueing it: the sweep finds it."""
    one_recipient(live, new_contract)
    event = EventEnvelope.model_validate(new_event("deprecation_warning"))
    with psycopg.connect(sync_dsn(live.database), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO events (id, type, occurred_at, source, contract_name, severity, title,"
            " payload, dedup_key, enqueued_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " now() - interval '1 hour')",
            (
                event.id,
                event.type.value,
                event.occurred_at,
                event.source,
                event.contract_name,
                event.severity.value,
                event.title,
                Jsonb(event.payload),
                event.dedup_key,
            ),
        )
    assert live.settled(str(event.id), count=1)[0]["status"] == "sent"
    assert len(live.mailbox.wait_for(1)) == 1


def test_contract_service_down_then_back_the_event_is_not_lost(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    one_recipient(live, new_contract)
    registry = live.registry.process
    registry.stop()
    try:
        event = new_event("deprecation_warning")
        assert live.post_event(event).status_code == 202
        waiting = live.wait(
            lambda: (
                (state := live.http.get(f"/api/v1/events/{event['id']}").json())
                and state["attempts"] >= 1
                and state
            ),
            what="a failed contract lookup",
        )
        assert waiting["processed_at"] is None
        assert "contract-service unreachable" in waiting["last_error"]
        assert live.notifications(event_id=event["id"]) == []
    finally:
        registry.start()
    sent = live.settled(event["id"], count=1)[0]
    assert sent["status"] == "sent" and sent["recipient"] == "owner@sales.example"
    assert live.http.get(f"/api/v1/events/{event['id']}").json()["last_error"] is None
