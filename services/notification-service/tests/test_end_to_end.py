"""End to end with real processes: contract-service (where recipients come from), the
notification API (uvicorn), a Celery worker, an aiosmtpd SMTP sink and a Slack endpoint.

``live`` is the running platform (see conftest): rate limit 3 per hour, dedup window 60 min.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import create_token
from datapact_testing.tokens import admin_token, bearer

HOSTILE = "<script>alert('pwned')</script>"
ADMIN = bearer(admin_token())


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_event_becomes_email_to_the_right_people(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    document = new_contract(description=f"All orders {HOSTILE}")
    document["schema"][2]["description"] = f"Total in EUR {HOSTILE}"
    contract = live.registry.register(document)
    event = new_event("schema_drift", fields=["amount"], title="Column amount is now text")

    response = live.post_event(event)
    assert response.status_code == 202 and response.json()["id"] == event["id"]

    settled = live.settled(event["id"], count=3)
    assert {n["recipient"]: n["status"] for n in settled} == {
        "owner@sales.example": "sent",
        "finance@corp.example": "sent",
        "bi@corp.example": "sent",  # uses every field
    }
    # marketing reads customer_id only: not concerned, not told.
    assert live.mailbox.to("marketing@corp.example") == []

    messages = live.mailbox.wait_for(3)
    assert sorted(r for rcpts, _ in live.mailbox.envelopes for r in rcpts) == [
        "bi@corp.example",
        "finance@corp.example",
        "owner@sales.example",
    ]
    by_id = {n["id"]: n for n in settled}
    for message in messages:
        notification_id = message["X-DataPact-Notification-Id"]
        assert message["Message-ID"] == f"<{notification_id}@datapact>"
        assert by_id[notification_id]["recipient"] == message["To"]
        assert message["Subject"] == (
            "[DataPact] [WARNING] Schema drift: orders — Column amount is now text"
        )
        text, html = parts(message)
        assert f"http://dashboard.test/contracts/{contract['id']}" in html
        assert f"http://dashboard.test/contracts/{contract['id']}" in text
        assert "<script>" not in html and "&lt;script&gt;" in html  # inert
        assert "Total in EUR" in html and "amount" in text
        assert "WHAT TO DO" in text

    finance = next(n for n in settled if n["recipient"] == "finance@corp.example")
    detail = live.http.get(f"/api/v1/notifications/{finance['id']}").json()
    assert detail["reason"] == "subscriber (finance, uses amount)"
    assert detail["attempts"] == 1 and detail["sent_at"] is not None
    event_state = live.http.get(f"/api/v1/events/{event['id']}").json()
    assert event_state["processed_at"] is not None


def test_same_event_id_twice_gives_one_set_of_notifications(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    live.registry.register(new_contract(subscribers=[]))
    event = new_event("deprecation_warning")
    assert live.post_event(event).json()["duplicate"] is False
    assert live.post_event(event).json()["duplicate"] is True
    live.settled(event["id"], count=1)
    assert live.post_event(event).json()["duplicate"] is True  # after processing too
    assert len(live.notifications()) == 1
    assert len(live.mailbox.wait_for(1)) == 1


def test_duplicates_rate_limit_and_preferences_are_suppressed_with_reasons(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    live.registry.register(
        new_contract(
            subscribers=[
                {"team": "finance", "fields_used": [], "contact_email": "finance@corp.example"}
            ]
        )
    )
    muted = live.http.put(
        "/api/v1/preferences/finance@corp.example",
        json={"muted_types": ["quality_breach"]},
        headers=ADMIN,
    )
    assert muted.status_code == 200, muted.text

    first = new_event("quality_breach", dedup_key="orders:freshness")
    again = new_event("quality_breach", dedup_key="orders:freshness")
    live.post_event(first)
    live.settled(first["id"], count=2)
    live.post_event(again)
    duplicate = live.settled(again["id"], count=2)
    assert {(n["recipient"], n["status"], n["suppressed_reason"]) for n in duplicate} == {
        ("owner@sales.example", "suppressed", "duplicate"),
        ("finance@corp.example", "suppressed", "preference"),
    }

    # Rate limit 3/hour: the owner had 1; two more go, the next is held back.
    outcomes = []
    for i in range(3):
        event = new_event("schema_drift", dedup_key=f"drift-{i}")
        live.post_event(event)
        settled = live.settled(event["id"], count=2)
        owner = next(n for n in settled if n["recipient"] == "owner@sales.example")
        outcomes.append(owner["suppressed_reason"] or owner["status"])
    assert outcomes == ["sent", "sent", "rate_limited"]

    assert len(live.mailbox.to("owner@sales.example")) == 3
    # finance muted only quality_breach: the drifts reached it.
    assert len(live.mailbox.to("finance@corp.example")) == 3
    held = live.notifications(status="suppressed", recipient="owner@sales.example")
    assert sorted(n["suppressed_reason"] for n in held) == ["duplicate", "rate_limited"]
    assert all(n["note"] for n in held)


def test_slack_watcher_gets_a_webhook_post(live: Any, new_event: Any, new_contract: Any) -> None:
    live.registry.register(new_contract(subscribers=[]))
    created = live.http.post(
        "/api/v1/watchers",
        json={"channel": "slack", "target": "#data-alerts", "team": "sales"},
        headers=ADMIN,
    )
    assert created.status_code == 201, created.text
    event = new_event("quality_breach", title=f"Freshness <!channel> {HOSTILE}")
    live.post_event(event)
    settled = live.settled(event["id"], count=2)
    assert {n["channel"]: n["status"] for n in settled} == {"email": "sent", "slack": "sent"}

    posted = live.slack.wait_for(1)
    assert posted[0].path == "/services/T000/B000/XXXX"
    body = posted[0].json()
    assert body["channel"] == "#data-alerts"
    assert "<!channel>" not in body["text"] and "&lt;!channel&gt;" in body["text"]
    assert "<http://dashboard.test/contracts/" in body["text"]
    slack_id = next(n["id"] for n in settled if n["channel"] == "slack")
    assert posted[0].headers["X-DataPact-Notification-Id"] == slack_id


def test_watchers_hear_about_contracts_the_registry_does_not_know(
    live: Any, new_event: Any
) -> None:
    ops = bearer(
        create_token(
            DEVELOPMENT_SECRET, "ops", email="ops@corp.example", scopes=["contracts:write"]
        )
    )
    created = live.http.post("/api/v1/watchers", json={"target": "ops@corp.example"}, headers=ops)
    assert created.status_code == 201 and created.json()["status"] == "active", created.text
    event = new_event("availability_breach", "ghost_contract")
    live.post_event(event)
    settled = live.settled(event["id"], count=1)
    assert settled[0]["recipient"] == "ops@corp.example" and settled[0]["status"] == "sent"
    state = live.http.get(f"/api/v1/events/{event['id']}").json()
    assert "not in the registry" in state["last_error"]


def test_contract_service_events_reach_the_people_concerned(
    live: Any, contract_worker: Any, new_contract: Any
) -> None:
    """contract-service (outbox → relay) → notification API → worker → SMTP."""
    document = new_contract()
    created = live.registry.register(document)
    changed = {**document, "version": "2.0.0"}
    changed["schema"] = [dict(f) for f in document["schema"]]
    changed["schema"][2]["data_type"] = "string"  # amount: decimal -> string, breaking
    updated = live.registry.http.put(f"/api/v1/contracts/{created['id']}", json=changed)
    assert updated.status_code == 200, updated.text

    def relayed() -> list[dict[str, Any]]:
        return [n for n in live.notifications() if n["event_type"] == "contract_updated"]

    live.wait(lambda: len(relayed()) == 3, what="the relayed contract_updated")
    settled = live.settled(relayed()[0]["event_id"], count=3)
    assert {n["recipient"] for n in settled} == {
        "owner@sales.example",
        "finance@corp.example",  # uses amount
        "bi@corp.example",  # uses everything
    }
    assert all(n["status"] == "sent" for n in settled)
    mail = live.mailbox.to("finance@corp.example")[0]
    text, html = parts(mail)
    assert "2.0.0" in mail["Subject"] and "amount" in text
    assert f"/contracts/{created['id']}" in html
