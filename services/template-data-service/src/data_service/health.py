"""GET /health: 200 when the database answers, 503 otherwise (datapact_common.web.health)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from data_service.config import Settings
from datapact_common.web.health import database, health_router


def _engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


router = health_router(
    lambda request: _settings(request).service_name,
    [database(_engine)],
    timeout=lambda request: _settings(request).health_timeout_seconds,
)
