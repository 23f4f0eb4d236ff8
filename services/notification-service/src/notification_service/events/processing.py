"""Turn stored events into notifications, a batch at a time (docs/notifications.md "Flow",
steps 2-5).

Runs in the worker inside one transaction: the events are locked, recipients are decided
under per-recipient advisory locks (dedup and rate limit read, then write), every decision is
inserted as a notification row — suppressed ones with their reason — and the events are
marked processed. A crash anywhere rolls all of it back and the events are processed again.
A batch costs the same handful of queries as a single event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import func
from sqlalchemy.orm import Session

from datapact_common.events import EventEnvelope, EventSeverity
from datapact_common.timeutil import utcnow
from notification_service.config import Settings
from notification_service.events import repository as events
from notification_service.events.models import Event
from notification_service.notifications import repository as notifications
from notification_service.notifications.models import Channel, Status, SuppressedReason
from notification_service.preferences import repository as preferences
from notification_service.preferences.models import Preference
from notification_service.recipients.answers import answer_request
from notification_service.recipients.contract import ContractView
from notification_service.recipients.resolver import Recipient, resolve_recipients
from notification_service.rendering.renderer import Rendered, render_event, render_slack
from notification_service.watchers import repository as watchers

# A notification told about (type, contract, dedup_key) to a recipient.
TellKey = tuple[str, str, str, str]


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
class Item:
    """One event to process, with the contract it concerns (None: not in the registry)."""

    event: Event
    contract: ContractView | None
    envelope: EventEnvelope = field(init=False)
    recipients: list[Recipient] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.envelope = envelope_of(self.event)

    def tell_key(self, recipient: Recipient) -> TellKey:
        e = self.envelope
        return (recipient.address, e.type.value, e.contract_name, e.dedup_key)


@dataclass
class Decision:
    status: Status = Status.PENDING
    suppressed_reason: SuppressedReason | None = None
    note: str | None = None


class Decider:
    """Preference, then duplicate, then rate limit — the state kept across a batch."""

    def __init__(
        self,
        settings: Settings,
        prefs: dict[str, Preference],
        told: set[TellKey],
        counts: dict[str, int],
    ) -> None:
        self.settings = settings
        self.prefs = prefs
        self.told = told
        self.counts = counts

    def decide(self, item: Item, recipient: Recipient) -> Decision:
        address, s = recipient.address, self.settings
        muted = muted_by(self.prefs.get(address), item.envelope)
        if muted:
            return Decision(Status.SUPPRESSED, SuppressedReason.PREFERENCE, muted)
        key = item.tell_key(recipient)
        if key in self.told:
            note = f"already told within {s.dedup_window_minutes:g} minutes"
            return Decision(Status.SUPPRESSED, SuppressedReason.DUPLICATE, note)
        if self.counts.get(address, 0) >= s.rate_limit_per_hour:
            note = f"{s.rate_limit_per_hour} notifications in the last hour"
            return Decision(Status.SUPPRESSED, SuppressedReason.RATE_LIMITED, note)
        self.counts[address] = self.counts.get(address, 0) + 1
        if s.dedup_window_minutes > 0:
            self.told.add(key)
        return Decision()


def _render(item: Item, recipient: Recipient, dashboard_url: str) -> Rendered:
    if recipient.channel is Channel.SLACK:
        return render_slack(item.envelope, item.contract, recipient.reason, dashboard_url)
    return render_event(item.envelope, item.contract, recipient.reason, dashboard_url)


def _row(item: Item, recipient: Recipient, decision: Decision, url: str) -> dict[str, Any]:
    rendered = _render(item, recipient, url)
    envelope = item.envelope
    asked = answer_request(envelope, item.contract, recipient)
    return {
        "id": uuid.uuid4(),
        "event_id": item.event.id,
        "event_type": envelope.type.value,
        "contract_name": envelope.contract_name,
        "severity": envelope.severity.value,
        "dedup_key": envelope.dedup_key,
        "channel": recipient.channel.value,
        "recipient": recipient.address,
        "reason": recipient.reason,
        "template": rendered.template,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html or None,
        "status": decision.status.value,
        "suppressed_reason": (
            decision.suppressed_reason.value if decision.suppressed_reason else None
        ),
        "note": decision.note,
        "enqueued_at": utcnow(),
        # what the answer links are signed from as it is sent; never the links themselves
        "answer_for": Jsonb(asked.to_json()) if asked is not None else None,
    }


def process_batch(session: Session, items: list[Item], settings: Settings) -> list[uuid.UUID]:
    """Create the notifications of ``items`` (in order) and mark their events processed.

    Returns the ids of the notifications to send.
    """
    if not items:
        return []
    candidates = watchers.candidates_for_batch(
        session,
        contract_names={i.envelope.contract_name for i in items},
        teams={i.contract.publisher.team for i in items if i.contract is not None},
    )
    for item in items:
        item.recipients = resolve_recipients(item.envelope, item.contract, candidates)
    recipients = [r for item in items for r in item.recipients]
    addresses = sorted({r.address for r in recipients})
    emails = sorted({r.address for r in recipients if r.channel is Channel.EMAIL})
    decider = Decider(
        settings,
        prefs=preferences.for_recipients(session, emails),
        told=set(),
        counts={},
    )
    notifications.lock_recipients(session, addresses)
    decider.told = notifications.recently_told_batch(
        session,
        [item.tell_key(r) for item in items for r in item.recipients],
        window=timedelta(minutes=settings.dedup_window_minutes),
    )
    decider.counts = notifications.counts_last_hour(session, addresses)
    rows = [
        _row(item, recipient, decider.decide(item, recipient), settings.dashboard_url)
        for item in items
        for recipient in item.recipients
    ]
    pending = notifications.insert_notifications(session, rows)
    # One statement for the events whose contract was read (not one UPDATE per event).
    events.mark_processed(session, [i.event.id for i in items if i.contract is not None])
    for item in items:
        if item.contract is None:
            item.event.processed_at = func.now()
            item.event.attempts += 1
            item.event.last_error = (
                f"contract {item.envelope.contract_name!r} is not in the registry; "
                "only watchers notified"
            )
    session.flush()
    return pending


def process(
    session: Session, event: Event, contract: ContractView | None, settings: Settings
) -> list[uuid.UUID]:
    """One event (a batch of one)."""
    return process_batch(session, [Item(event, contract)], settings)
