"""Change proposals and field sunsets reach the right people once (docs/workflow.md): the
real contract-service (proposal → outbox → relay by the real contract-worker) → the
notification API → worker → the SMTP sink."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from email.message import EmailMessage
from typing import Any


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
