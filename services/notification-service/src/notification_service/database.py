"""Database access: the API's async engine and session, the worker's synchronous engine."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Engine, create_engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from datapact_common.db import make_engine, make_metadata, make_sessionmaker, session_dependency
from notification_service.config import get_settings


class Base(DeclarativeBase):
    metadata = make_metadata()


@lru_cache
def get_engine() -> AsyncEngine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_ingest_engine() -> AsyncEngine:
    """The event-ingest path's engine: autocommit, no ping on checkout.

    Storing an event is one idempotent statement (``INSERT ... ON CONFLICT DO NOTHING``)
    that PostgreSQL commits on its own, durably (the server's ``synchronous_commit``, on by
    default), so a request costs one round trip instead of ping, BEGIN, INSERT, COMMIT. A
    connection that went away is noticed by that statement, discarded and the statement
    tried once more on a fresh one (events/repository.py).
    """
    return make_engine(
        get_settings().database_url, pool_pre_ping=False, isolation_level="AUTOCOMMIT"
    )


@lru_cache
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(get_engine())


_get_session = session_dependency(get_sessionmaker)


async def get_session() -> AsyncIterator[AsyncSession]:
    async for session in _get_session():
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]

_sync: dict[int, sessionmaker[Session]] = {}
_delivery: dict[int, Engine] = {}


def sync_sessionmaker() -> sessionmaker[Session]:
    """The worker's sessionmaker; one engine per process (a forked child never reuses its
    parent's connections)."""
    pid = os.getpid()
    maker = _sync.get(pid)
    if maker is None:
        engine: Engine = create_engine(
            get_settings().sync_database_url, pool_pre_ping=True, pool_size=5, max_overflow=5
        )
        maker = sessionmaker(engine, expire_on_commit=False)
        _sync.clear()
        _sync[pid] = maker
    return maker


def delivery_engine() -> Engine:
    """The send path's engine: one statement per transaction (autocommit), and unless
    NOTIFICATION_DELIVERY_STATE_DURABLE is set, commits that do not wait for the WAL flush.

    Losing such a commit takes a PostgreSQL crash; its effect is a resend with the same
    Message-ID, never a lost notification (docs/notifications.md).
    """
    pid = os.getpid()
    engine = _delivery.get(pid)
    if engine is None:
        settings = get_settings()
        mode = "on" if settings.delivery_state_durable else "off"
        engine = create_engine(
            settings.sync_database_url,
            pool_pre_ping=False,  # a dead connection fails its statement, which is retried
            pool_size=2,
            max_overflow=2,
            isolation_level="AUTOCOMMIT",
            connect_args={"options": f"-c synchronous_commit={mode}"},
        )
        _delivery.clear()
        _delivery[pid] = engine
    return engine
