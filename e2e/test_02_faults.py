"""Faults on the whole platform: a notification worker killed mid-send, the notification API
down while contracts change. Nothing is lost and nothing is sent twice."""

from __future__ import annotations

import re
from typing import Any

import httpx

from e2e.harness import Stack, eventually, publisher_headers

TEAM = "payments"


def contract(name: str, owner_email: str) -> dict[str, Any]:
    """A small contract nobody monitors (no endpoint); its publisher wants e-mail."""
    return {
        "name": name,
        "version": "1.0.0",
        "description": f"{name}: payments as the ledger books them.",
        "publisher": {"team": TEAM, "owner": "payments-data", "contact_email": owner_email},
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "amount", "data_type": "decimal", "nullable": False},
            {"name": "booked_at", "data_type": "timestamp", "nullable": False},
        ],
        "tags": ["payments", "e2e"],
    }


def register(api: httpx.Client, document: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/v1/contracts", json=document, headers=publisher_headers(TEAM))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def bump(api: httpx.Client, contract_id: str, version: str) -> dict[str, Any]:
    """A patch release: only the description changes."""
    current = api.get(f"/api/v1/contracts/{contract_id}").json()
    document = {k: v for k, v in current.items() if k not in ("id", "created_at", "updated_at",
                                                               "compliance")}  # fmt: skip
    document["version"] = version
    document["description"] = f"{current['name']}: payments as the ledger books them ({version})."
    response = api.put(
        f"/api/v1/contracts/{contract_id}", json=document, headers=publisher_headers(TEAM)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def sweeps_run(stack: Stack) -> int:
    """Sweeps the notification worker has finished so far (it runs one every second)."""
    log = stack.processes["notification-worker"].log_path.read_text(errors="replace")
    return len(re.findall(r"notifications\.sweep\[[^\]]+\] succeeded", log))


def test_notification_worker_killed_mid_send_the_email_still_goes_exactly_once(
    stack: Stack,
) -> None:
    owner = "refunds-owner@example.com"
    with stack.client("contract-api") as api:
        created = register(api, contract("refunds", owner))
        stack.mailbox.hold_next(owner)  # the next message to owner stops in the middle of DATA
        bump(api, created["id"], "1.0.1")
    assert stack.mailbox.collector.holding.wait(60), stack.logs(
        "contract-worker", "notification-worker"
    )
    [claimed] = stack.notifications(recipient=owner)
    assert (claimed["status"], claimed["attempts"]) == ("sending", 1), claimed

    stack.kill("notification-worker")  # SIGKILL to its process group: no cleanup, no ack
    # The sink sees the connection drop in the middle of DATA: that message never arrived.
    assert stack.mailbox.collector.dropped.wait(30)
    stack.mailbox.release()
    stack.start("notification-worker")

    def settled() -> dict[str, Any] | None:
        [notification] = stack.notifications(recipient=owner)
        return notification if notification["status"] not in ("pending", "sending") else None

    sent = eventually(settled, "the notification to settle after the crash", logs=stack.logs)
    messages = stack.mailbox.to(owner)
    assert (sent["status"], sent["attempts"], len(messages)) == ("sent", 2, 1), (
        sent,
        [m["Message-ID"] for m in messages],
        stack.logs("notification-worker"),
    )
    assert messages[0]["Message-ID"] == f"<{sent['id']}@datapact>"

    # A few more sweeps (each re-offers anything whose lease ran out): still exactly one.
    seen = sweeps_run(stack)
    eventually(lambda: sweeps_run(stack) >= seen + 3, "three more notification sweeps")
    assert len(stack.mailbox.to(owner)) == 1
    assert len(stack.notifications(recipient=owner)) == 1


def outbox(stack: Stack, name: str) -> list[tuple[Any, ...]]:
    return stack.sql(
        "contract-service",
        "SELECT id, attempts, last_error, delivered_at FROM event_outbox"
        " WHERE contract_name = %s ORDER BY created_at",
        name,
    )


def test_notification_api_down_events_wait_in_the_outbox_and_arrive_when_it_returns(
    stack: Stack,
) -> None:
    owner = "ledger-owner@example.com"
    versions = ["1.0.1", "1.0.2", "1.0.3"]
    with stack.client("contract-api") as api:
        created = register(api, contract("ledger", owner))
        stack.stop("notification-api")
        try:
            for version in versions:
                assert bump(api, created["id"], version)["version"] == version

            def held() -> list[tuple[Any, ...]] | None:
                rows = outbox(stack, "ledger")
                waiting = [r for r in rows if r[3] is None and r[1] >= 1 and r[2]]
                return rows if len(rows) == 3 and len(waiting) == 3 else None

            rows = eventually(held, "the relay to try (and fail) every event", logs=stack.logs)
            assert all("ConnectError" in r[2] or "HTTP" in r[2] for r in rows), rows
            assert stack.mailbox.to(owner) == []
        finally:
            stack.start("notification-api")  # same port

    eventually(
        lambda: all(r[3] is not None for r in outbox(stack, "ledger")),
        "the outbox to deliver every held event",
        logs=lambda: stack.logs("contract-worker"),
    )

    def all_sent() -> list[dict[str, Any]] | None:
        items = stack.sent_to(owner, "contract_updated", "ledger")
        return items if len(items) == 3 else None

    sent = eventually(all_sent, "three contract_updated e-mails", logs=stack.logs)
    emails = stack.emails_of(sent)
    assert len(emails) == 3 == len(stack.mailbox.to(owner))
    subjects = " ".join(str(m["Subject"]) for m in emails)
    for version in versions:
        assert version in subjects, subjects
    assert len(stack.notifications(contract="ledger")) == 3
