"""Engine, sessions and the declarative base of the contract-service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated, Any

import orjson
from fastapi import Depends
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool
from sqlalchemy.util import greenlet_spawn

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


async def fetch_row(statement: str, *args: Any) -> Any:
    """The first row of a read-only SQL ``statement`` (``$1``-style parameters), or ``None``:
    asyncpg's own ``fetchrow`` (an ``asyncpg.Record``) on a connection of the engine's pool.

    For the hottest reads only (a contract by id or name): no session, no SQLAlchemy
    execution or result machinery, half of such a request's CPU time (docs/performance.md).
    Outside any transaction, so autocommit like :func:`get_read_session`. A failure is
    raised as SQLAlchemy's ``DBAPIError`` of the same asyncpg error, its connection
    invalidated on a disconnect, so the error contract (datapact_common.web.errors) and the
    pool's recovery are those of every other query.
    """
    engine = get_engine()
    pooled = await engine.raw_connection()
    try:
        try:
            return await pooled.driver_connection.fetchrow(statement, *args)  # type: ignore[union-attr]
        except Exception as error:
            raise await _translated(engine, pooled, statement, args, error) from error
    finally:
        await greenlet_spawn(pooled.close)


async def _translated(
    engine: AsyncEngine, pooled: Any, statement: str, args: tuple[Any, ...], error: Exception
) -> BaseException:
    adapted = pooled.dbapi_connection
    try:
        adapted._handle_exception(error)  # raises the DBAPI-level error for ``error``
    except Exception as dbapi_error:
        dialect = engine.sync_engine.dialect
        invalidated = bool(dialect.is_disconnect(dbapi_error, adapted, None))  # type: ignore[arg-type]
        if invalidated:  # as a Connection does: this one, and the pool's older ones
            await greenlet_spawn(engine.sync_engine.pool._invalidate, pooled, dbapi_error)
        return DBAPIError.instance(
            statement,
            args,
            dbapi_error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=invalidated,
            dialect=dialect,
        )
    return error  # pragma: no cover  (_handle_exception always raises)


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
