"""PostgreSQL advisory locks keyed by a name: one way for every service.

A key is any text (``"dictionary sync"``, ``"github-pr:acme/shop#7"``); PostgreSQL hashes it
to the 64-bit lock number (``hashtextextended``), so callers never pick numbers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

_LOCK = text("SELECT pg_advisory_lock(hashtextextended(:key, 0))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")
_XACT_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
# every key's lock in one statement, in lock-number order: two transactions whose keys
# overlap take the shared ones in the same order, so they wait for each other, never deadlock
_XACT_LOCKS = text(
    "SELECT pg_advisory_xact_lock(h) FROM ("
    " SELECT DISTINCT hashtextextended(k, 0) AS h"
    " FROM unnest(CAST(:keys AS text[])) AS k ORDER BY h) AS ordered"
)


@asynccontextmanager
async def advisory_lock(engine: AsyncEngine, key: str) -> AsyncIterator[None]:
    """Hold the lock on ``key`` while the block runs: waits for whoever holds it. The lock
    lives on a connection of its own in autocommit, so no transaction stays open meanwhile."""
    async with engine.connect() as connection:
        locking = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await locking.execute(_LOCK, {"key": key})
        try:
            yield
        finally:
            await locking.execute(_UNLOCK, {"key": key})


async def advisory_xact_lock(session: AsyncSession, key: str) -> None:
    """Take the lock on ``key`` until the session's transaction ends."""
    await session.execute(_XACT_LOCK, {"key": key})


def advisory_xact_locks(session: Session, keys: Iterable[str]) -> None:
    """Take the lock on each of ``keys`` until the (synchronous) session's transaction ends,
    in one round trip and in one order (the notification worker's per-recipient locks)."""
    wanted = sorted(set(keys))
    if wanted:
        session.execute(_XACT_LOCKS, {"keys": wanted})
