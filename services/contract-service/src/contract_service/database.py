"""Engine, sessions and the declarative base of the contract-service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated, Any

import orjson
from fastapi import Depends
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool

from contract_service import background
from contract_service.config import get_settings
from datapact_common.db import make_engine, make_metadata, make_sessionmaker, run_after_commit
from datapact_common.db import session_dependency as _session_dependency


class Base(DeclarativeBase):
    metadata = make_metadata()


def _json_serializer(value: Any) -> str:
    return orjson.dumps(value).decode()


def _engine_options() -> dict[str, Any]:
    # orjson for JSONB in both directions (documents are validated to be JSON-safe first).
    return {"json_serializer": _json_serializer, "json_deserializer": orjson.loads}


@lru_cache
def get_engine() -> AsyncEngine:
    settings = get_settings()
    # No pre-ping: with asyncpg it costs three round trips (BEGIN, ping, ROLLBACK) per
    # checkout. A connection broken by a database restart fails its request once (503),
    # which invalidates the pool; connections are also recycled every half hour.
    return make_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_pre_ping=False,
        pool_recycle=1800,
        **_engine_options(),
    )


@lru_cache
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(get_engine())


@lru_cache
def get_read_sessionmaker() -> async_sessionmaker[AsyncSession]:
    """Sessions for read-only requests: autocommit, so a read is one round trip (no
    BEGIN/COMMIT); same pool as the writers."""
    return make_sessionmaker(get_engine().execution_options(isolation_level="AUTOCOMMIT"))


async def get_read_session() -> AsyncIterator[AsyncSession]:
    async with get_read_sessionmaker()() as session:
        yield session


get_session = _session_dependency(get_sessionmaker)
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]


@asynccontextmanager
async def task_sessionmaker() -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions for code outside a request (Celery tasks, scripts).

    Its engine has no pool, so it is safe in a fresh event loop each time
    (``asyncio.run`` inside a Celery task); it is disposed of when the block ends.
    """
    engine = create_async_engine(
        get_settings().database_url, poolclass=NullPool, **_engine_options()
    )
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction: commit at the end (then the after-commit hooks), roll back on error."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        await run_after_commit(session)
        await background.drain()


@asynccontextmanager
async def task_session() -> AsyncIterator[AsyncSession]:
    """One transaction for a Celery task: ``async with task_session() as session: ...``."""
    async with task_sessionmaker() as sessionmaker, unit_of_work(sessionmaker) as session:
        yield session
