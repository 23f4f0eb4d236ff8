"""Templates: every event type of docs/design.md §5 renders text + HTML, escaped, linked."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from datapact_common.events import EventEnvelope, EventType
from notification_service.config import get_settings
from notification_service.recipients.contract import ContractView
from notification_service.rendering.links import with_link
from notification_service.rendering.renderer import (
    DigestItem,
    WatchRequest,
    render_digest,
    render_event,
    render_slack,
    render_watch_confirmation,
)

HOSTILE = '<script>alert("x")</script>'


def hostile_contract(new_contract: Any) -> ContractView:
    document = new_contract(description=f"Orders {HOSTILE}")
    document["id"] = "5b0a0a64-1111-4222-8333-444455556666"
    document["schema"][2]["description"] = f"Total {HOSTILE}"
    return ContractView.from_document(document)


@pytest.mark.parametrize("kind", [t.value for t in EventType])
def test_every_type_renders_escaped_html_and_text(
    kind: str, new_event: Any, new_contract: Any
) -> None:
    event = EventEnvelope.model_validate(
        new_event(kind, fields=["amount"], title=f"Trouble {HOSTILE}")
    )
    rendered = render_event(event, hostile_contract(new_contract), "publisher (sales)", "http://d")

    assert rendered.template == kind
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "Total &lt;script&gt;" in rendered.html  # the affected field's description
    assert "http://d/contracts/5b0a0a64-1111-4222-8333-444455556666" in rendered.html
    assert "http://d/contracts/5b0a0a64-1111-4222-8333-444455556666" in rendered.text
    assert "orders" in rendered.text and "What to do".upper() in rendered.text
    assert "publisher (sales)" in rendered.text
    assert "\n" not in rendered.subject and "orders" in rendered.subject
    assert rendered.subject.startswith("[DataPact] [WARNING]")


def test_dashboard_link_falls_back_to_the_contract_name(new_event: Any) -> None:
    event = EventEnvelope.model_validate(new_event("deprecation_warning", "weird name/x"))
    rendered = render_event(event, None, "watcher (all contracts)", "http://d")
    assert "http://d/contracts/weird%20name%2Fx" in rendered.html


def test_links_from_payloads_must_be_http(new_event: Any) -> None:
    pr = {"repository": "acme/orders", "number": 1, "url": "javascript:alert(1)"}
    event = EventEnvelope.model_validate(
        new_event(
            "pr_blocked", payload={"pull_request": pr, "check_run_url": "https://gh.example/c/1"}
        )
    )
    rendered = render_event(event, None, "x", "http://d")
    assert "javascript:" not in rendered.html and "javascript:" not in rendered.text
    assert 'href="https://gh.example/c/1"' in rendered.html


def test_subject_cannot_carry_header_injection(new_event: Any) -> None:
    event = EventEnvelope.model_validate(
        new_event("schema_drift", title="drift\r\nBcc: victim@example.com" + "x" * 400)
    )
    subject = render_event(event, None, "x", "http://d").subject
    assert "\r" not in subject and "\n" not in subject and len(subject) <= 250


def test_slack_text_escapes_control_characters(new_event: Any) -> None:
    event = EventEnvelope.model_validate(
        new_event("schema_drift", title="<!channel> & <http://evil|click>", fields=["amount"])
    )
    text = render_slack(event, None, "x", "http://d").text
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp;" in text
    assert "<http://d/contracts/orders|Open in DataPact>" in text


def test_digest_lists_held_back_notifications() -> None:
    items = [
        DigestItem("schema_drift", "orders", f"subject {i} {HOSTILE}", datetime.now(UTC))
        for i in range(3)
    ]
    rendered = render_digest(items, total=5, dashboard_url="http://d")
    assert "5 notification(s)" in rendered.subject
    assert rendered.html.count("Schema drift") == 3 and "<script>" not in rendered.html
    assert "and 2 more" in rendered.text


def test_a_watch_confirmation_lists_the_requests_escaped_and_gets_its_link_last() -> None:
    when = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    requests = [
        WatchRequest(None, f"sales {HOSTILE}", ["schema_drift"], f"mallory {HOSTILE}", when),
        WatchRequest("orders", None, [], "alice", when),
    ]
    rendered = render_watch_confirmation("ana@example.com", requests, total=3)
    assert rendered.subject == "[DataPact] Confirm the alerts asked for ana@example.com"
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "every contract of team sales" in rendered.text and "contract orders" in rendered.text
    assert "schema drift" in rendered.text and "every event" in rendered.text
    assert "and 1 more" in rendered.text

    text, html = with_link(
        get_settings(), "watch_confirmation", "ana@example.com", rendered.text, rendered.html
    )
    assert html is not None
    assert "#watchers=" in text.splitlines()[-1]
    # before the template's own closing tag, once
    assert html.count("</body>") == 1 and html.index("#watchers=") < html.index("</body>")


def test_a_broken_value_rule_names_rule_count_and_sample_keys(
    new_event: Any, new_contract: Any
) -> None:
    payload = {
        "check_type": "validity",
        "rule": "amount:min",
        "field": "amount",
        "violations": 12,
        "samples": [{"id": 3}, {"id": HOSTILE}, "not a mapping"],
        "expected": "no row breaks min 0",
        "actual": "`amount`: 12 rows below min 0",
        "message": "`amount`: 12 rows below min 0",
    }
    event = EventEnvelope.model_validate(
        new_event("quality_breach", fields=["amount"], payload=payload)
    )
    rendered = render_event(event, hostile_contract(new_contract), "publisher (sales)", "http://d")
    assert "break one of its value rules (amount:min)" in rendered.text
    assert "Sample primary keys: id=3; id=" in rendered.text
    assert "`amount`: 12 rows below min 0" in rendered.text
    assert "SLA of this contract is not met" not in rendered.text
    assert "<script>" not in rendered.html and "id=&lt;script&gt;" in rendered.html
