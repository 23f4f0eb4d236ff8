"""Engine, sessions and the declarative base of the contract-service."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated, Any

import asyncpg  # type: ignore[import-untyped]  # no stubs; used for its errors only
import orjson
from fastapi import Depends
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, InvalidatePoolError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry, NullPool, Pool, PoolProxiedConnection
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
    raised as SQLAlchemy's ``DBAPIError`` of the same asyncpg error, as a ``Connection``
    raises it, so the error contract (datapact_common.web.errors) holds; a disconnect
    invalidates this connection and the pool's older ones (:class:`_InvalidatePoolAtCheckout`).
    """
    return await _driver_call("fetchrow", statement, args)


async def execute(statement: str, *args: Any) -> Any:
    """Run one SQL ``statement`` (``$1``-style parameters) as :func:`fetch_row` runs a read:
    asyncpg's own ``execute`` on a connection of the engine's pool, outside any transaction,
    so the statement is its own transaction (all of it is written, or none); errors raised
    as a ``Connection`` raises them. For the create of a contract: one statement writes every
    row of it (docs/performance.md, "Creates")."""
    return await _driver_call("execute", statement, args)


async def _driver_call(method: str, statement: str, args: tuple[Any, ...]) -> Any:
    engine = get_engine()
    pooled = await engine.raw_connection()
    try:
        try:
            return await getattr(pooled.driver_connection, method)(statement, *args)
        except Exception as error:
            raise await _translated(engine, pooled, statement, args, error) from error
    finally:
        await greenlet_spawn(pooled.close)


# asyncpg's errors → the PEP 249 class of the dialect's DBAPI (``dialect.loaded_dbapi``) that
# SQLAlchemy's asyncpg adaptation raises for them; the first match in this order wins.
_DBAPI_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (asyncpg.exceptions.IntegrityConstraintViolationError, "IntegrityError"),
    (asyncpg.exceptions.SyntaxOrAccessError, "ProgrammingError"),
    (asyncpg.exceptions.InternalServerError, "InternalError"),
    (asyncpg.exceptions.PostgresError, "Error"),
    (asyncpg.exceptions.InterfaceError, "InterfaceError"),
    (asyncpg.exceptions.InternalClientError, "InternalError"),
)


async def _translated(
    engine: AsyncEngine,
    pooled: PoolProxiedConnection,
    statement: str,
    args: tuple[Any, ...],
    error: Exception,
) -> BaseException:
    """``error`` as a SQLAlchemy ``Connection`` raises it: asyncpg's exception wrapped in the
    DBAPI's class, that in ``DBAPIError``; anything else (``OSError``) as it is."""
    dialect = engine.sync_engine.dialect
    dbapi = dialect.loaded_dbapi
    invalidated = bool(dialect.is_disconnect(error, pooled.dbapi_connection, None))  # type: ignore[arg-type]
    if invalidated:
        _invalidate_pool(engine)
        await greenlet_spawn(pooled.invalidate, error)
    for driver_class, name in _DBAPI_ERRORS:
        if isinstance(error, driver_class):
            translated: Exception = getattr(dbapi, name)(
                error.args[0] if error.args else str(error), error
            )
            return DBAPIError.instance(
                statement,
                args,
                translated,
                dbapi.Error,
                connection_invalidated=invalidated,
                dialect=dialect,
            )
    return error


class _InvalidatePoolAtCheckout:
    """After a disconnect seen by :func:`fetch_row`, the pool's next checkout raises
    ``InvalidatePoolError``: the pool then reopens every connection opened before it at its
    own next checkout, as it does when a ``Connection`` sees a disconnect (a database restart
    breaks them all, and there is no pre-ping). A public pool event, installed at a pool's
    first such disconnect: no cost before that."""

    def __init__(self, pool: Pool) -> None:
        self.pending = True
        event.listen(pool, "checkout", self)

    def __call__(self, dbapi_connection: Any, entry: ConnectionPoolEntry, proxy: Any) -> None:
        if self.pending:
            self.pending = False
            raise InvalidatePoolError("the database dropped a pooled connection")


_invalidators: weakref.WeakKeyDictionary[Pool, _InvalidatePoolAtCheckout] = (
    weakref.WeakKeyDictionary()
)


def _invalidate_pool(engine: AsyncEngine) -> None:
    pool = engine.sync_engine.pool
    invalidator = _invalidators.get(pool)
    if invalidator is None:
        _invalidators[pool] = _InvalidatePoolAtCheckout(pool)
    else:
        invalidator.pending = True


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
