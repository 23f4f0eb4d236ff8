"""GET /health: 200 when the database answers ``SELECT 1`` in time, 503 otherwise
(datapact_common.web.health)."""

from __future__ import annotations

from fastapi import Request

from datapact_agent.agent import Agent
from datapact_common.web.health import Dependency, health_router
from datapact_common.web.lifespan import state_value


def _agent(request: Request) -> Agent:
    return state_value(request, "agent", Agent)


async def _database(request: Request) -> None:
    await _agent(request).ping()


router = health_router(
    lambda request: _agent(request).settings.service_name,
    [Dependency("database", _database)],
    timeout=lambda request: _agent(request).settings.health_timeout_seconds,
)
