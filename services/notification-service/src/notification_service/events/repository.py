"""Every query on events: storing (API) and the worker's processing state."""

from __future__ import annotations

import uuid
from datetime import timedelta
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


def get_sync(session: Session, event_id: uuid.UUID) -> Event | None:
    return session.get(Event, event_id)


def lock_unprocessed(session: Session, event_id: uuid.UUID) -> Event | None:
    """The event, locked for processing; None if processed or being processed elsewhere."""
    return session.scalars(
        select(Event)
        .where(Event.id == event_id, Event.processed_at.is_(None))
        .with_for_update(skip_locked=True)
    ).one_or_none()


def schedule_retry(session: Session, event_id: uuid.UUID, error: str, delay: timedelta) -> None:
    session.execute(
        update(Event)
        .where(Event.id == event_id, Event.processed_at.is_(None))
        .values(
            attempts=Event.attempts + 1,
            last_error=error[:4000],
            next_attempt_at=func.now() + delay,
            enqueued_at=func.now(),
        )
    )


def due_for_sweep(session: Session, grace: timedelta, limit: int) -> list[uuid.UUID]:
    """Unprocessed events whose wake-up seems lost; marks them re-enqueued."""
    now = func.now()
    ids = list(
        session.scalars(
            select(Event.id)
            .where(
                Event.processed_at.is_(None),
                Event.next_attempt_at <= now,
                or_(Event.enqueued_at.is_(None), Event.enqueued_at < now - grace),
            )
            .order_by(Event.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )
    if ids:
        session.execute(update(Event).where(Event.id.in_(ids)).values(enqueued_at=now))
    return ids
