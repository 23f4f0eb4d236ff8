"""Asking an address to confirm the watchers someone else added for it.

One e-mail per address per ``NOTIFICATION_CONFIRMATION_INTERVAL_HOURS``, however many
watchers are added: its link (purpose ``watchers``) lets the address see and confirm every
pending watcher of it, later ones included, so a hostile writer cannot flood a mailbox by
adding a hundred. The e-mail is an ordinary notification row (kind ``watch_confirmation``),
sent, retried and swept like any other; its link is added as it is sent.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.db import after_commit
from datapact_common.locks import advisory_xact_lock
from notification_service.config import get_settings
from notification_service.notifications.models import (
    COUNTED_STATUSES,
    WATCH_CONFIRMATION_TYPE,
    Notification,
    system_email,
)
from notification_service.notifications.service import send_after_commit
from notification_service.rendering.renderer import WatchRequest, render_watch_confirmation
from notification_service.watchers import repository

LISTED = 20


async def request(session: AsyncSession, address: str) -> bool:
    """Queue the confirmation e-mail for ``address`` unless one went out within the interval.
    True when one was queued."""
    # Two writers adding watchers for one address at once must not both send.
    await advisory_xact_lock(session, f"{WATCH_CONFIRMATION_TYPE}:{address}")
    interval = timedelta(hours=get_settings().confirmation_interval_hours)
    if interval > timedelta(0) and await _asked_within(session, address, interval):
        return False
    pending = await repository.pending_for(session, address)
    if not pending:
        return False
    requests = [
        WatchRequest(
            contract_name=w.contract_name,
            team=w.team,
            event_types=list(w.event_types),
            created_by=w.created_by,
            created_at=w.created_at,
        )
        for w in pending[:LISTED]
    ]
    rendered = render_watch_confirmation(address, requests, len(pending))
    notification = system_email(
        WATCH_CONFIRMATION_TYPE,
        address,
        "someone asked DataPact to send alerts to this address",
        rendered,
    )
    session.add(notification)
    await session.flush()
    after_commit(session, send_after_commit(notification.id))
    return True


async def _asked_within(session: AsyncSession, address: str, interval: timedelta) -> bool:
    asked = await session.scalar(
        select(
            exists().where(
                Notification.recipient == address,
                Notification.event_type == WATCH_CONFIRMATION_TYPE,
                Notification.status.in_(COUNTED_STATUSES),
                Notification.created_at > func.now() - interval,
            )
        )
    )
    return bool(asked)
