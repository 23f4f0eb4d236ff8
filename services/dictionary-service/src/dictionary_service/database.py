"""Engine, sessions and the request-scoped SessionDep."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from datapact_common.db import make_engine, make_sessionmaker, session_dependency
from dictionary_service.config import get_settings

# Search statements have the same text for very different queries ("id" matches a tenth of
# the fields, "invoice_date" a few hundred): plan each with its own values rather than let
# PostgreSQL settle on one generic plan for all.
SERVER_SETTINGS = {"plan_cache_mode": "force_custom_plan"}


def create_engine(url: str) -> AsyncEngine:
    # No pre-ping: with asyncpg it is three round trips (BEGIN, ping, ROLLBACK) on every
    # checkout, i.e. before every search (docs/dictionary.md, Benchmark). A connection broken
    # by a database restart fails its request once (503), which invalidates the pool (a sync
    # pass fails, is logged and runs again); connections are recycled every half hour.
    return make_engine(
        url,
        pool_pre_ping=False,
        pool_recycle=1800,
        connect_args={"server_settings": SERVER_SETTINGS},
    )


@lru_cache
def get_engine() -> AsyncEngine:
    return create_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(get_engine())


@lru_cache
def get_read_sessionmaker() -> async_sessionmaker[AsyncSession]:
    """Sessions on the same pool in autocommit: for requests that read with one statement.

    A statement is its own snapshot, so a one-statement read needs no transaction; without
    one, asyncpg sends no BEGIN and no COMMIT: one round trip per search instead of three.
    """
    return make_sessionmaker(get_engine().execution_options(isolation_level="AUTOCOMMIT"))


get_session = session_dependency(get_sessionmaker)
get_read_session = session_dependency(get_read_sessionmaker)

SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
# Only for a request that reads with a single statement (see get_read_sessionmaker).
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
