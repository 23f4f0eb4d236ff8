"""Change proposals and field sunsets reach the right people once (docs/workflow.md): the
real contract-service (proposal → outbox → relay by the real contract-worker) → the
notification API → worker → the SMTP sink."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any

import httpx
import jwt
import psycopg

from datapact_common import proposal_links
from datapact_testing.postgres import sync_dsn
from datapact_testing.tokens import admin_token, bearer

ADMIN = bearer(admin_token())
ANSWER_LINK = re.compile(
    r"(Approve|Object) for (\S+): (http://dashboard\.test(/api/v1/proposals/answer\?token=(\S+)))"
)


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def without(document: dict[str, Any], field: str, version: str) -> dict[str, Any]:
    changed = {**document, "version": version}
    changed["schema"] = [f for f in document["schema"] if f["name"] != field]
    changed["subscribers"] = [
        {**s, "fields_used": [f for f in s["fields_used"] if f != field]}
        for s in document["subscribers"]
    ]
    return changed


def test_a_proposal_is_mailed_once_to_its_affected_teams(
    live: Any, contract_worker: Any, new_contract: Any
) -> None:
    document = {**new_contract(), "change_policy": {"notice_days": 14}}
    created = live.registry.register(document)
    url = f"/api/v1/contracts/{created['id']}/proposals"
    response = live.registry.http.post(url, json=without(document, "amount", "2.0.0"))
    assert response.status_code == 201, response.text
    proposal = response.json()
    assert proposal["affected_teams"] == ["bi", "finance"]

    def proposed() -> list[dict[str, Any]]:
        return [n for n in live.notifications() if n["event_type"] == "breaking_change_proposed"]

    live.wait(lambda: len(proposed()) == 3, what="the proposal's notifications")
    settled = live.settled(proposed()[0]["event_id"], count=3)
    assert {n["recipient"]: n["status"] for n in settled} == {
        "owner@sales.example": "sent",
        "finance@corp.example": "sent",  # uses amount
        "bi@corp.example": "sent",  # uses every field
    }
    messages = live.mailbox.wait_for(3)
    assert Counter(r for rcpts, _ in live.mailbox.envelopes for r in rcpts) == {
        "owner@sales.example": 1,
        "finance@corp.example": 1,
        "bi@corp.example": 1,
    }
    assert live.mailbox.to("marketing@corp.example") == []  # reads customer_id only
    for message in messages:
        assert message["Subject"] == (
            "[DataPact] [CRITICAL] Breaking change proposed: orders — Breaking change "
            "proposed for orders 1.0.0 -> 2.0.0: your answer is asked"
        )
        text, html = parts(message)
        assert f"datapact proposal approve {proposal['id']} --team TEAM" in text
        assert f"datapact proposal object {proposal['id']} --team TEAM" in text
        assert "proposes version 2.0.0 (now 1.0.0)" in text
        assert "Notice period ends:" in text
        assert "field 'amount' removed" in text and "field &#39;amount&#39; removed" in html
        assert proposal["id"] in html

    # A second proposal supersedes the first: its own teams are told, once.
    again = live.registry.http.post(url, json=without(document, "customer_id", "2.0.0"))
    assert again.status_code == 201, again.text
    live.wait(lambda: len(proposed()) == 6, what="the second proposal's notifications")
    second = {n["event_id"] for n in proposed()} - {settled[0]["event_id"]}
    [second_event] = second
    told = live.settled(second_event, count=3)
    assert {n["recipient"] for n in told} == {
        "owner@sales.example",
        "marketing@corp.example",
        "bi@corp.example",
    }
    live.mailbox.wait_for(6)
    assert len(live.mailbox.to("finance@corp.example")) == 1
    superseding = live.mailbox.to("marketing@corp.example")[0]
    assert f"replaces the earlier proposal {proposal['id']}" in parts(superseding)[0]


def answer_links(message: EmailMessage) -> dict[tuple[str, str], tuple[str, str]]:
    """(team, answer) → (the link's path and query, its token), from the plain text; the
    HTML carries the same links."""
    text, html = parts(message)
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for verb, team, url, path, token in ANSWER_LINK.findall(text):
        answer = "approved" if verb == "Approve" else "objected"
        found[(team, answer)] = (path, token)
        assert f'<a href="{url}"' in html and f"{verb} for {team}</a>" in html
    return found


def test_a_proposal_mail_carries_signed_answer_links_that_work_once(
    live: Any, contract_worker: Any, new_contract: Any
) -> None:
    """Each affected team's contact gets an approve and an object link per team it answers
    for, signed as the e-mail is sent: not in the stored copy, not for the publisher, not on
    Slack. Followed from the mailed message, a link answers at the real contract-service."""
    from notification_service.config import get_settings

    secret = get_settings().datapact_secret_key
    document = {**new_contract(), "change_policy": {"notice_days": 14}}
    # finance's contact answers for a second team too (spelled differently)
    document["subscribers"].append(
        {"team": "risk", "fields_used": ["amount"], "contact_email": "Finance@Corp.example"}
    )
    created = live.registry.register(document)
    watcher = live.http.post(
        "/api/v1/watchers",
        json={"channel": "slack", "target": "#data-alerts", "contract_name": "orders"},
        headers=ADMIN,
    )
    assert watcher.status_code == 201, watcher.text
    url = f"/api/v1/contracts/{created['id']}/proposals"
    response = live.registry.http.post(url, json=without(document, "amount", "2.0.0"))
    assert response.status_code == 201, response.text
    proposal = response.json()
    assert proposal["affected_teams"] == ["bi", "finance", "risk"]
    notice_ends = datetime.fromisoformat(proposal["verdict"]["notice_ends_at"])

    live.wait(
        lambda: any(n["event_type"] == "breaking_change_proposed" for n in live.notifications()),
        what="the proposal's event",
    )
    [event_id] = {n["event_id"] for n in live.notifications()}
    settled = live.settled(event_id, count=4)
    assert {(n["channel"], n["recipient"]) for n in settled if n["status"] == "sent"} == {
        ("email", "owner@sales.example"),
        ("email", "finance@corp.example"),
        ("email", "bi@corp.example"),
        ("slack", "#data-alerts"),
    }
    live.mailbox.wait_for(3)
    [finance_mail] = live.mailbox.to("finance@corp.example")
    [bi_mail] = live.mailbox.to("bi@corp.example")
    [owner_mail] = live.mailbox.to("owner@sales.example")

    finance = answer_links(finance_mail)
    bi = answer_links(bi_mail)
    assert set(finance) == {(t, a) for t in ("finance", "risk") for a in proposal_links.ANSWERS}
    assert set(bi) == {("bi", "approved"), ("bi", "objected")}
    # the publisher is no affected team's contact: no links, and none anywhere in its mail
    assert answer_links(owner_mail) == {}
    assert "proposals/answer" not in owner_mail.as_string()
    text, html = parts(finance_mail)
    until = notice_ends.strftime("%Y-%m-%d %H:%M UTC")
    assert f"Each link works once, until {until} (when the notice period ends)" in text
    assert f"Each link works once, until {until} (when the notice period ends)" in html
    assert text.index("ANSWER FOR YOUR TEAMS") < text.index("Open in DataPact:")

    tokens = set()
    for holder, found in (("finance@corp.example", finance), ("bi@corp.example", bi)):
        for (team, answer), (_, token) in found.items():
            link = proposal_links.verify(secret, token)
            assert (link.proposal_id, link.team, link.answer) == (
                uuid.UUID(proposal["id"]),
                team,
                answer,
            )
            assert link.sub == f"link:{holder}"
            claims = jwt.decode(token, options={"verify_signature": False})
            assert claims["exp"] == int(notice_ends.timestamp())
            tokens.add(token)
    assert len(tokens) == 6  # one jti each

    # never stored: not in the event, not in any notification's stored bodies
    for n in settled:
        stored = live.http.get(f"/api/v1/notifications/{n['id']}", headers=ADMIN).json()
        kept = f"{stored['body_text']}{stored['body_html'] or ''}"
        assert "proposals/answer" not in kept
        assert not any(token in kept for token in tokens)
    with psycopg.connect(sync_dsn(live.database)) as conn:
        rows = conn.execute(
            "SELECT payload::text FROM events UNION ALL "
            "SELECT concat(body_text, body_html, answer_for::text) FROM notifications"
        ).fetchall()
    assert rows and not any("proposals/answer" in row[0] for row in rows)
    [posted] = live.slack.wait_for(1)
    assert "proposals/answer" not in posted.json()["text"]

    # Followed from the mail (the dashboard proxies /api/v1/proposals to the contract-service):
    # the page changes nothing, the POST answers once, as the recipient, for the link's team.
    registry = live.registry.process.base_url
    with httpx.Client(base_url=registry, timeout=30) as browser:  # no token: the link is it
        path, _ = finance[("risk", "objected")]
        page = browser.get(path)
        assert page.status_code == 200, page.text
        assert "Team risk: object to the breaking change of orders 1.0.0 -&gt; 2.0.0" in page.text
        answered = browser.post(path)
        assert answered.status_code == 200, answered.text
        latest = {a["team"]: a for a in answered.json()["answers"]}
        assert latest["risk"]["answer"] == "objected"
        assert latest["risk"]["answered_by"] == "link:finance@corp.example"
        assert latest["finance"]["answer"] == latest["bi"]["answer"] == "pending"
        again = browser.post(path)
        assert again.status_code == 409 and "used already" in again.json()["detail"]

        path, _ = bi[("bi", "approved")]
        assert browser.post(path).status_code == 200
        path, _ = finance[("risk", "approved")]  # the team answers again: the latest counts
        body = browser.post(path).json()
    latest = {a["team"]: a["answer"] for a in body["answers"]}
    assert latest == {"bi": "approved", "finance": "pending", "risk": "approved"}


def test_a_sunset_reminder_reaches_the_fields_readers_once(live: Any, new_contract: Any) -> None:
    from contract_service.sunsets.schedule import sunsets
    from contract_service.sunsets.service import sunset_event
    from datapact_common.contract_schema import ContractDefinition

    document = new_contract()
    document["schema"][2]["deprecated"] = {"sunset": "2027-01-15", "replacement": "status"}
    created = live.registry.register(document)
    contract = ContractDefinition.model_validate(document)
    [amount] = sunsets(contract)
    event = sunset_event(uuid.UUID(created["id"]), contract, amount, "7d", date(2027, 1, 8))
    body = event.model_dump(mode="json")
    assert live.post_event(body).status_code == 202
    assert live.post_event(body).json()["duplicate"] is True  # the same reminder again

    settled = live.settled(str(event.id), count=3)
    assert {n["recipient"]: n["status"] for n in settled} == {
        "owner@sales.example": "sent",
        "finance@corp.example": "sent",
        "bi@corp.example": "sent",
    }
    messages = live.mailbox.wait_for(3)
    assert len(messages) == 3
    text, html = parts(live.mailbox.to("finance@corp.example")[0])
    assert "Field amount is deprecated and may be removed from 2027-01-15 on (7 days left)" in text
    assert "Read status instead." in text
    assert "drop it from" in text and "fields_used" in text
    assert "<strong>amount</strong>" in html
    assert live.mailbox.to("marketing@corp.example") == []
