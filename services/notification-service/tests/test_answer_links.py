"""A proposal e-mail's answer links (docs/workflow.md "Answers"): who is asked, and the links
signed at send time — lifetime, placement, and nothing for anyone else. The mailed links
followed against the real contract-service: test_workflow_mail.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from datapact_common import proposal_links
from datapact_common.events import EventEnvelope
from notification_service.config import get_settings
from notification_service.notifications.models import Channel
from notification_service.recipients.answers import AnswerRequest, answer_request
from notification_service.recipients.contract import ContractView
from notification_service.recipients.resolver import Recipient
from notification_service.rendering.answer_links import MARKER, with_answer_links
from notification_service.rendering.renderer import render_event

PROPOSAL = "0b7c3f0e-2f1d-4c4b-9a55-3f1f6f0e9a01"
# an hour ago, on the minute: the links signed "now" verify (iat in the past, exp ahead)
NOW = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
IN_14_DAYS = (NOW + timedelta(days=14)).strftime("%Y-%m-%d %H:%M UTC")


def proposal_event(new_event: Any, **proposal: Any) -> EventEnvelope:
    payload = {
        "pull_request": None,
        "proposal": {
            "id": PROPOSAL,
            "base_version": "1.0.0",
            "proposed_version": "2.0.0",
            "notice_ends_at": (NOW + timedelta(days=14)).isoformat(),
            **proposal,
        },
        "affected_subscribers": ["bi", "finance"],
    }
    event = new_event("breaking_change_proposed", fields=["amount"], payload=payload)
    return EventEnvelope.model_validate(event)


def contract(new_contract: Any) -> ContractView:
    document = new_contract()
    # finance's contact also answers for risk, which the proposal does not affect
    document["subscribers"].append(
        {"team": "risk", "fields_used": ["status"], "contact_email": "finance@corp.example"}
    )
    return ContractView.from_document(document)


def email(address: str) -> Recipient:
    return Recipient(channel=Channel.EMAIL, address=address)


def test_only_an_affected_teams_contact_is_asked_and_by_e_mail(
    new_event: Any, new_contract: Any
) -> None:
    event, view = proposal_event(new_event), contract(new_contract)
    asked = answer_request(event, view, email("finance@corp.example"))
    assert asked == AnswerRequest(
        proposal_id=uuid.UUID(PROPOSAL),
        teams=("finance",),  # not risk: not affected
        notice_ends_at=NOW + timedelta(days=14),
    )
    assert AnswerRequest.from_json(asked.to_json()) == asked
    assert answer_request(event, view, email("bi@corp.example")) is not None
    assert answer_request(event, view, email("owner@sales.example")) is None  # publisher
    assert answer_request(event, view, email("marketing@corp.example")) is None  # unaffected
    slack = Recipient(channel=Channel.SLACK, address="#data-alerts")
    assert answer_request(event, view, slack) is None
    assert answer_request(event, None, email("finance@corp.example")) is None


def test_events_without_a_proposal_ask_nobody(new_event: Any, new_contract: Any) -> None:
    view = contract(new_contract)
    finance = email("finance@corp.example")
    pull_request = EventEnvelope.model_validate(new_event("breaking_change_proposed"))
    assert answer_request(pull_request, view, finance) is None
    no_end = proposal_event(new_event, notice_ends_at=None)
    assert answer_request(no_end, view, finance) is not None  # lives MAX_TTL
    broken = proposal_event(new_event, id="not-a-uuid")
    assert answer_request(broken, view, finance) is None
    drift = EventEnvelope.model_validate(new_event("schema_drift", fields=["amount"]))
    assert answer_request(drift, view, finance) is None
    for stored in (None, {}, {"proposal": PROPOSAL, "teams": []}, {"teams": ["x"]}, "x"):
        assert AnswerRequest.from_json(stored) is None


def mail(new_event: Any, new_contract: Any, **proposal: Any) -> tuple[str, str, Any]:
    event, view = proposal_event(new_event, **proposal), contract(new_contract)
    rendered = render_event(event, view, "subscriber (finance)", "http://dashboard.test")
    asked = answer_request(event, view, email("finance@corp.example"))
    assert asked is not None
    return rendered.text, rendered.html, asked.to_json()


def test_the_links_go_under_what_to_do_and_live_until_the_notice_ends(
    new_event: Any, new_contract: Any
) -> None:
    stored_text, stored_html, asked = mail(new_event, new_contract)
    assert MARKER in stored_html and "proposals/answer" not in stored_text + stored_html
    settings = get_settings()
    text, html = with_answer_links(
        settings, asked, "finance@corp.example", stored_text, stored_html, now=NOW
    )
    assert html is not None and MARKER not in html
    block = text[text.index("ANSWER FOR YOUR TEAM") : text.index("Open in DataPact:")]
    lines = block.splitlines()
    assert lines[1].startswith("Approve for finance: http://dashboard.test/api/v1/proposals/")
    assert lines[2].startswith("Object for finance: http://dashboard.test/api/v1/proposals/")
    assert f"Each link works once, until {IN_14_DAYS} (when the notice period ends)" in block
    assert text.index("WHAT TO DO") < text.index("ANSWER FOR YOUR TEAM")
    assert html.index("What to do") < html.index("Approve for finance</a>")
    assert html.index("Object for finance</a>") < html.index("Open orders in DataPact")
    for line, answer in ((lines[1], "approved"), (lines[2], "objected")):
        token = line.rsplit("token=", 1)[1]
        assert f'href="{line.split(": ", 1)[1]}"' in html
        link = proposal_links.verify(settings.datapact_secret_key, token)
        holder = "link:finance@corp.example"
        assert (link.team, link.answer, link.sub) == ("finance", answer, holder)
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["exp"] == int((NOW + timedelta(days=14)).timestamp())


def test_a_longer_notice_is_capped_and_an_ended_one_gets_no_links(
    new_event: Any, new_contract: Any
) -> None:
    settings = get_settings()
    late = (NOW + timedelta(days=30)).isoformat()
    stored_text, stored_html, asked = mail(new_event, new_contract, notice_ends_at=late)
    text, _ = with_answer_links(settings, asked, "f@x", stored_text, stored_html, now=NOW)
    assert f"until {IN_14_DAYS}, and opens" in text  # MAX_TTL: 14 days from sending
    token = text.split("token=", 1)[1].split()[0]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] == int((NOW + proposal_links.MAX_TTL).timestamp())

    ended = (NOW - timedelta(minutes=1)).isoformat()
    stored_text, stored_html, asked = mail(new_event, new_contract, notice_ends_at=ended)
    assert with_answer_links(settings, asked, "f@x", stored_text, stored_html, now=NOW) == (
        stored_text,
        stored_html,
    )
    assert with_answer_links(settings, None, "f@x", stored_text, stored_html) == (
        stored_text,
        stored_html,
    )


def test_a_body_stored_before_the_marker_gets_the_links_before_its_end(
    new_event: Any, new_contract: Any
) -> None:
    _, _, asked = mail(new_event, new_contract)
    text, html = with_answer_links(
        get_settings(), asked, "f@x", "old text", "<html><body><p>old</p></body></html>"
    )
    assert text.startswith("old text\n\nANSWER FOR YOUR TEAM\nApprove for finance: http")
    assert html is not None and html.startswith("<html><body><p>old</p><h2")
    assert html.endswith("</p>\n</body></html>")
