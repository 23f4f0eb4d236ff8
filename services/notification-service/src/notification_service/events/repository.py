"""Every query on events: storing (API) and the worker's processing state."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from notification_service.events.models import Event


async def store(session: AsyncSession, values: dict[str, Any]) -> tuple[bool, bool]:
    """Insert unless the id exists. Returns (inserted, processed)."""
    inserted = await session.scalar(
        insert(Event)
        .values(**values, enqueued_at=func.now())
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(Event.id)
    )
    if inserted is not None:
        return True, False
    processed_at = await session.scalar(select(Event.processed_at).where(Event.id == values["id"]))
    return False, processed_at is not None


async def get(session: AsyncSession, event_id: uuid.UUID) -> Event | None:
    return await session.get(Event, event_id)


def lock_due(session: Session, limit: int) -> list[Event]:
    """Up to ``limit`` unprocessed, due events, oldest first, locked for this transaction.

    Rows another worker holds are skipped, so concurrent batches never overlap.
    """
    return list(
        session.scalars(
            select(Event)
            .where(Event.processed_at.is_(None), Event.next_attempt_at <= func.now())
            .order_by(Event.received_at, Event.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )


def schedule_retry(event: Event, error: str, delay: timedelta) -> None:
    """Back to waiting: the contract could not be read."""
    event.attempts += 1
    event.last_error = error[:4000]
    event.next_attempt_at = func.now() + delay
    event.enqueued_at = func.now()


def earliest_retry(session: Session) -> datetime | None:
    """When the next event waiting for a retry becomes due."""
    return session.scalar(
        select(func.min(Event.next_attempt_at)).where(
            Event.processed_at.is_(None), Event.next_attempt_at > func.now()
        )
    )


def due_for_sweep(session: Session, grace: timedelta) -> int:
    """How many unprocessed, due events seem to have lost their wake-up (marks them
    re-enqueued, so the next sweep waits another grace period)."""
    now = func.now()
    result = session.execute(
        update(Event)
        .where(
            Event.processed_at.is_(None),
            Event.next_attempt_at <= now,
            or_(Event.enqueued_at.is_(None), Event.enqueued_at < now - grace),
        )
        .values(enqueued_at=now)
        .returning(Event.id)
    )
    return len(result.all())
