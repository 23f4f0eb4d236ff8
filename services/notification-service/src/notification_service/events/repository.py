"""Every query on events: storing (API) and the worker's processing state."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs; used for its errors only
from sqlalchemy import any_, cast, func, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from notification_service.events.models import Event

# One statement, one round trip, committed by PostgreSQL itself (autocommit): insert unless
# the id exists, and say whether it was inserted and, if not, whether it was processed. (The
# subquery reads the snapshot taken before the insert: a fresh row reads as NULL.)
_STORE = """
WITH inserted AS (
    INSERT INTO events (id, type, occurred_at, source, contract_name, contract_version,
                        severity, title, payload, dedup_key, enqueued_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST($9::text AS jsonb), $10, now())
    ON CONFLICT (id) DO NOTHING
    RETURNING id
)
SELECT EXISTS (SELECT FROM inserted) AS inserted,
       coalesce((SELECT processed_at IS NOT NULL FROM events WHERE id = $1), false) AS processed
"""
_DISCONNECTS = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError)
_CHECKOUTS = 40  # more than the pool holds: every idle connection may have been closed


async def store_event(engine: AsyncEngine, values: dict[str, Any]) -> tuple[bool, bool]:
    """Store an envelope durably unless its id exists. Returns (inserted, processed).

    Runs on the autocommit ingest engine's driver connection: when it returns, the row is
    committed (synchronous commit). The engine does not ping on checkout: a connection the
    server closed while it was idle is seen closed and replaced, and as the statement is safe
    to repeat, one that fails under it is replaced and the statement tried once more.
    """
    arguments = (
        values["id"],
        values["type"],
        values["occurred_at"],
        values["source"],
        values["contract_name"],
        values["contract_version"],
        values["severity"],
        values["title"],
        json.dumps(values["payload"]),
        values["dedup_key"],
    )
    failures = 0
    for _ in range(_CHECKOUTS):
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection  # asyncpg.Connection
            if driver.is_closed():  # the server closed it while it was idle in the pool
                await connection.invalidate()
                continue
            try:
                row = await driver.fetchrow(_STORE, *arguments)
            except _DISCONNECTS:
                await connection.invalidate()
                failures += 1
                if failures == 2:
                    raise
                continue
            assert row is not None
            return bool(row["inserted"]), bool(row["processed"])
    raise ConnectionError(f"no open database connection in {_CHECKOUTS} checkouts")


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


def mark_processed(session: Session, event_ids: list[uuid.UUID]) -> None:
    """Processed now (one statement for a batch); loaded rows see the new values."""
    if event_ids:
        session.execute(
            update(Event)
            .where(Event.id == any_(cast(event_ids, ARRAY(PG_UUID(as_uuid=True)))))
            .values(processed_at=func.now(), attempts=Event.attempts + 1, last_error=None)
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
