"""Turn one stored event into notifications (ALERTING.md "Flow" steps 2-5), atomically.

Runs in the worker inside one transaction: the event row is locked, recipients are decided
under per-recipient advisory locks (dedup and rate limit read then write), every decision is
inserted as a notification row — suppressed ones with their reason — and the event is marked
processed. A crash anywhere rolls all of it back and the event is processed again later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from datapact_common.events import EventEnvelope, EventSeverity
from notification_service.config import Settings
from notification_service.events.models import Event
from notification_service.notifications import repository as notifications
from notification_service.notifications.models import Channel, Status, SuppressedReason
from notification_service.preferences import repository as preferences
from notification_service.preferences.models import Preference
from notification_service.recipients.contract import ContractView
from notification_service.recipients.resolver import Recipient, resolve_recipients
from notification_service.rendering.renderer import Rendered, render_event, render_slack
from notification_service.watchers import repository as watchers


def envelope_of(event: Event) -> EventEnvelope:
    return EventEnvelope.model_validate(
        {
            "id": event.id,
            "type": event.type,
            "occurred_at": event.occurred_at,
            "source": event.source,
            "contract_name": event.contract_name,
            "contract_version": event.contract_version,
            "severity": event.severity,
            "title": event.title,
            "payload": event.payload,
            "dedup_key": event.dedup_key,
        }
    )


def muted_by(preference: Preference | None, envelope: EventEnvelope) -> str | None:
    if preference is None:
        return None
    if envelope.type.value in preference.muted_types:
        return f"{envelope.type.value} is muted"
    if envelope.severity.rank < EventSeverity(preference.min_severity).rank:
        return f"severity {envelope.severity.value} is below {preference.min_severity}"
    return None


@dataclass
class Decision:
    recipient: Recipient
    rendered: Rendered
    status: Status = Status.PENDING
    suppressed_reason: SuppressedReason | None = None
    note: str | None = None


def _render(
    envelope: EventEnvelope, contract: ContractView | None, recipient: Recipient, url: str
) -> Rendered:
    if recipient.channel is Channel.SLACK:
        return render_slack(envelope, contract, recipient.reason, url)
    return render_event(envelope, contract, recipient.reason, url)


def decide(
    session: Session,
    envelope: EventEnvelope,
    contract: ContractView | None,
    settings: Settings,
) -> list[Decision]:
    team = contract.publisher.team if contract else None
    candidates = watchers.candidates_for(
        session,
        event_type=envelope.type.value,
        contract_name=envelope.contract_name,
        team=team,
    )
    recipients = resolve_recipients(envelope, contract, candidates)
    decisions = [
        Decision(r, _render(envelope, contract, r, settings.dashboard_url)) for r in recipients
    ]
    addresses = [d.recipient.address for d in decisions]
    prefs = preferences.for_recipients(
        session, [d.recipient.address for d in decisions if d.recipient.channel is Channel.EMAIL]
    )
    notifications.lock_recipients(session, addresses)
    duplicates = notifications.recently_told(
        session,
        addresses,
        event_type=envelope.type.value,
        contract_name=envelope.contract_name,
        dedup_key=envelope.dedup_key,
        window=timedelta(minutes=settings.dedup_window_minutes),
    )
    counts = notifications.counts_last_hour(session, addresses)
    for decision in decisions:
        address = decision.recipient.address
        muted = muted_by(prefs.get(address), envelope)
        if muted:
            decision.suppressed_reason, decision.note = SuppressedReason.PREFERENCE, muted
        elif address in duplicates:
            decision.suppressed_reason = SuppressedReason.DUPLICATE
            decision.note = f"already told within {settings.dedup_window_minutes:g} minutes"
        elif counts.get(address, 0) >= settings.rate_limit_per_hour:
            decision.suppressed_reason = SuppressedReason.RATE_LIMITED
            decision.note = f"{settings.rate_limit_per_hour} notifications in the last hour"
        else:
            counts[address] = counts.get(address, 0) + 1
        if decision.suppressed_reason is not None:
            decision.status = Status.SUPPRESSED
    return decisions


def _row(event: Event, envelope: EventEnvelope, decision: Decision) -> dict[str, Any]:
    rendered = decision.rendered
    return {
        "id": uuid.uuid4(),
        "event_id": event.id,
        "event_type": envelope.type.value,
        "contract_name": envelope.contract_name,
        "severity": envelope.severity.value,
        "dedup_key": envelope.dedup_key,
        "channel": decision.recipient.channel.value,
        "recipient": decision.recipient.address,
        "reason": decision.recipient.reason,
        "template": rendered.template,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html or None,
        "status": decision.status.value,
        "suppressed_reason": (
            decision.suppressed_reason.value if decision.suppressed_reason else None
        ),
        "note": decision.note,
        "enqueued_at": func.now(),
    }


def process(
    session: Session, event: Event, contract: ContractView | None, settings: Settings
) -> list[uuid.UUID]:
    """Create the event's notifications and mark it processed. Returns the ids to send."""
    envelope = envelope_of(event)
    decisions = decide(session, envelope, contract, settings)
    pending = notifications.insert_notifications(
        session, [_row(event, envelope, d) for d in decisions]
    )
    event.processed_at = func.now()
    event.attempts += 1
    event.last_error = (
        None
        if contract is not None
        else f"contract {envelope.contract_name!r} is not in the registry; only watchers notified"
    )
    session.flush()
    return pending
