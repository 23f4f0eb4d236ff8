"""Async SQLAlchemy helpers: engine, the per-request session, after-commit hooks.

The session dependency commits or rolls back once per request; services only
flush. Work that must not run before the data is durable (queueing Celery
tasks, nudging other services) is registered with :func:`after_commit`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

logger = logging.getLogger(__name__)

_AFTER_COMMIT = "datapact_after_commit"

# Deterministic constraint names so that `alembic check` and downgrades are stable.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    options.update(kwargs)
    return create_async_engine(url, **options)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def sync_url(url: str) -> str:
    """The URL for a synchronous driver (psycopg) from an asyncpg one."""
    return url.replace("+asyncpg", "+psycopg")


def after_commit(session: AsyncSession, callback: Callable[[], Awaitable[None] | None]) -> None:
    """Run ``callback`` once the request's transaction has committed (never on rollback)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


async def run_after_commit(session: AsyncSession) -> None:
    callbacks = session.info.pop(_AFTER_COMMIT, [])
    for callback in callbacks:
        try:
            result = callback()
            if result is not None:
                await result
        except Exception:  # a hook must never turn a committed request into an error
            logger.exception("after-commit hook failed")


def session_dependency(
    sessionmaker: Callable[[], async_sessionmaker[AsyncSession]],
) -> Callable[[], AsyncIterator[AsyncSession]]:
    """Build the request-scoped session dependency: commit on success, roll back on error."""

    async def get_session() -> AsyncIterator[AsyncSession]:
        async with sessionmaker()() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                session.info.pop(_AFTER_COMMIT, None)
                await session.rollback()
                raise
            await run_after_commit(session)

    return get_session
