"""Outbox queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.outbox.models import OutboxEvent


async def lock_due(session: AsyncSession, now: datetime, limit: int) -> Sequence[OutboxEvent]:
    """Undelivered events that are due, oldest first, locked; rows another relay holds are
    skipped, so concurrent relays never send the same row at the same time."""
    rows = await session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.delivered_at.is_(None), OutboxEvent.next_attempt_at <= now)
        .order_by(OutboxEvent.created_at, OutboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return rows.all()


async def next_due_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(
        select(func.min(OutboxEvent.next_attempt_at)).where(OutboxEvent.delivered_at.is_(None))
    )
