"""GET /health: 200 when the database answers ``SELECT 1`` in time, 503 otherwise
(datapact_common.web.health)."""

from __future__ import annotations

from fastapi import Request

from datapact_agent.dependencies import get_agent
from datapact_common.web.health import Dependency, health_router


async def _database(request: Request) -> None:
    await get_agent(request).ping()


router = health_router(
    lambda request: get_agent(request).settings.service_name,
    [Dependency("database", _database)],
    timeout=lambda request: get_agent(request).settings.health_timeout_seconds,
)
