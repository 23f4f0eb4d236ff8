"""The engine and sessionmaker. Request handlers here only read, so routes take the
engine (``EngineDep``) and open connections themselves; the seed command and the
generator write through sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from data_service.config import Settings
from datapact_common.db import make_engine, make_sessionmaker


def create_engine_for(settings: Settings) -> AsyncEngine:
    pool_size = max(settings.database_pool_size, settings.metrics_concurrency)
    return make_engine(
        settings.database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # Enough compiled statements for one aggregate per table of a large catalog.
        query_cache_size=2000,
        connect_args={
            "timeout": settings.health_timeout_seconds,
            "server_settings": {
                "application_name": settings.service_name[:63],
                # Server-side bound on every query, so one huge table cannot hang /metrics.
                "statement_timeout": str(int(settings.query_timeout_seconds * 1000)),
            },
        },
    )


def sessionmaker_for(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(engine)


def get_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
