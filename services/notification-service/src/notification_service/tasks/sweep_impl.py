"""The code of the task sweep (tasks/sweep.py): pick up whatever a crash or a lost message
left behind, and send due digests."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy import func

from notification_service.config import get_settings
from notification_service.database import sync_sessionmaker
from notification_service.enqueue import enqueue_processing, enqueue_sends
from notification_service.events import repository as events
from notification_service.notifications import repository as notifications
from notification_service.notifications.models import DIGEST_TYPE, system_email
from notification_service.preferences import repository as preferences
from notification_service.rendering.renderer import DigestItem, render_digest

logger = logging.getLogger(__name__)
BATCH = 500
DIGEST_ITEMS = 50


def run() -> dict[str, int]:
    """The task ``sweep`` (tasks/sweep.py)."""
    settings = get_settings()
    grace = timedelta(seconds=settings.sweep_grace_seconds)
    maker = sync_sessionmaker()
    with maker() as session, session.begin():
        lost_events = events.due_for_sweep(session, grace)
    if lost_events:
        enqueue_processing()
    with maker() as session, session.begin():
        notification_ids = notifications.due_for_sweep(session, grace, BATCH)
    enqueue_sends(notification_ids)
    digests = send_digests()
    if lost_events or notification_ids or digests:
        logger.info(
            "sweep: %d event(s), %d notification(s) re-enqueued, %d digest(s)",
            lost_events,
            len(notification_ids),
            len(digests),
        )
    return {
        "events": lost_events,
        "notifications": len(notification_ids),
        "digests": len(digests),
    }


def send_digests() -> list[uuid.UUID]:
    settings = get_settings()
    interval = timedelta(minutes=settings.digest_interval_minutes)
    created: list[uuid.UUID] = []
    maker = sync_sessionmaker()
    with maker() as session:
        candidates = notifications.digest_candidates(session, interval, BATCH)
    for candidate in candidates:
        with maker() as session, session.begin():
            held = notifications.undigested(session, candidate.recipient)
            if not held:
                continue
            if not preferences.digest_enabled(session, candidate.recipient):
                continue
            items = [
                DigestItem(n.event_type, n.contract_name, n.subject, n.created_at)
                for n in held[:DIGEST_ITEMS]
            ]
            rendered = render_digest(items, len(held), settings.dashboard_url)
            digest = system_email(
                DIGEST_TYPE,
                candidate.recipient,
                "the hourly notification limit",
                rendered,
                enqueued_at=func.now(),
            )
            session.add(digest)
            session.flush()
            for notification in held:
                notification.digest_id = digest.id
            created.append(digest.id)
    enqueue_sends(created)
    return created
