"""Turns an event into a subject, a plain-text body and an HTML body (docs/design.md §6: escaped).

Templates live in ``templates/email/<type>.html`` and ``<type>.txt`` on shared bases.
HTML templates autoescape, so contract text (descriptions, titles, payload strings) can never
inject markup; the plain-text part is ``text/plain`` and cannot carry markup at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from datapact_common.events import EventEnvelope, EventType
from notification_service.recipients.contract import ContractView

TYPE_LABELS: dict[str, str] = {
    EventType.SCHEMA_DRIFT: "Schema drift",
    EventType.QUALITY_BREACH: "Quality SLA breached",
    EventType.AVAILABILITY_BREACH: "Availability SLA breached",
    EventType.COMPLIANCE_RECOVERED: "Compliance recovered",
    EventType.PR_BLOCKED: "Pull request blocked",
    EventType.BREAKING_CHANGE_PROPOSED: "Breaking change proposed",
    EventType.CONTRACT_UPDATED: "Contract updated",
    EventType.DEPRECATION_WARNING: "Contract deprecated",
    "digest": "Digest",
    "watch_confirmation": "Confirm alerts",
}
_WHITESPACE = re.compile(r"\s+")
SUBJECT_LIMIT = 250


@dataclass(frozen=True)
class Rendered:
    template: str
    subject: str
    text: str
    html: str


def one_line(value: object, limit: int = SUBJECT_LIMIT) -> str:
    """Collapse whitespace (no CR/LF can reach a header) and cut to ``limit`` characters."""
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_url(value: object) -> str | None:
    """Only http(s) links are rendered; anything else (``javascript:``...) is dropped."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def slack_escape(value: object) -> str:
    """Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _format_time(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M UTC")
        except ValueError:
            return value
    return ""


@lru_cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("notification_service.rendering", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # packaged templates: no stat of the file on every render
    )
    env.filters["safe_url"] = safe_url
    env.filters["when"] = _format_time
    env.filters["slack"] = slack_escape
    env.filters["one_line"] = one_line
    return env


def contract_url(dashboard_url: str, contract_name: str, contract_id: str | None) -> str:
    return f"{dashboard_url}/contracts/{quote(contract_id or contract_name, safe='')}"


def subject_for(event: EventEnvelope) -> str:
    severity = "" if event.severity.value == "info" else f"[{event.severity.value.upper()}] "
    label = TYPE_LABELS[event.type]
    return one_line(f"[DataPact] {severity}{label}: {event.contract_name} — {event.title}")


def event_context(
    event: EventEnvelope, contract: ContractView | None, reason: str, dashboard_url: str
) -> dict[str, Any]:
    payload = event.payload
    contract_id = (contract.id if contract else None) or payload.get("contract_id")
    fields = []
    for name in event.affected_fields:
        found = contract.field(name) if contract else None
        fields.append(
            {
                "name": name,
                "data_type": found.data_type if found else None,
                "description": found.description if found else None,
            }
        )
    return {
        "event": event,
        "type_label": TYPE_LABELS[event.type],
        "payload": payload,
        "contract": contract,
        "fields": fields,
        "reason": reason,
        "url": contract_url(dashboard_url, event.contract_name, contract_id),
        "dashboard_url": dashboard_url,
    }


def render_event(
    event: EventEnvelope, contract: ContractView | None, reason: str, dashboard_url: str
) -> Rendered:
    env = environment()
    context = event_context(event, contract, reason, dashboard_url)
    name = event.type.value
    return Rendered(
        template=name,
        subject=subject_for(event),
        text=env.get_template(f"email/{name}.txt").render(context),
        html=env.get_template(f"email/{name}.html").render(context),
    )


def render_slack(
    event: EventEnvelope, contract: ContractView | None, reason: str, dashboard_url: str
) -> Rendered:
    env = environment()
    context = event_context(event, contract, reason, dashboard_url)
    text = env.get_template("slack/event.txt").render(context)
    return Rendered(template="slack/event", subject=subject_for(event), text=text, html="")


@dataclass(frozen=True)
class DigestItem:
    event_type: str
    contract_name: str | None
    subject: str
    created_at: datetime


def render_digest(items: list[DigestItem], total: int, dashboard_url: str) -> Rendered:
    env = environment()
    context = {
        "items": items,
        "total": total,
        "more": max(total - len(items), 0),
        "labels": TYPE_LABELS,
        "dashboard_url": dashboard_url,
        "url": f"{dashboard_url}/notifications",
        "reason": "you reached the hourly notification limit",
    }
    subject = one_line(f"[DataPact] Digest: {total} notification(s) held back by the rate limit")
    return Rendered(
        template="digest",
        subject=subject,
        text=env.get_template("email/digest.txt").render(context),
        html=env.get_template("email/digest.html").render(context),
    )


@dataclass(frozen=True)
class WatchRequest:
    """One pending watcher, as a confirmation e-mail lists it."""

    contract_name: str | None
    team: str | None
    event_types: list[str]
    created_by: str
    created_at: datetime

    @property
    def scope(self) -> str:
        if self.contract_name is not None:
            return f"contract {self.contract_name}"
        return f"every contract of team {self.team}" if self.team is not None else "every contract"

    @property
    def events(self) -> str:
        return ", ".join(t.replace("_", " ") for t in self.event_types) or "every event"


def render_watch_confirmation(address: str, requests: list[WatchRequest], total: int) -> Rendered:
    """Asks ``address`` to confirm watchers others added; the link is added as it is sent."""
    env = environment()
    context = {"address": address, "watchers": requests, "more": max(total - len(requests), 0)}
    return Rendered(
        template="watch_confirmation",
        subject=one_line(f"[DataPact] Confirm the alerts asked for {address}"),
        text=env.get_template("email/watch_confirmation.txt").render(context),
        html=env.get_template("email/watch_confirmation.html").render(context),
    )
