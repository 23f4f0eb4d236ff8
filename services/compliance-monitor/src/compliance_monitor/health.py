"""``GET /health``: 200 while the monitor's Redis answers (datapact_common.web.health)."""

from __future__ import annotations

from fastapi import Request

from compliance_monitor.monitoring.sweep import Monitor
from datapact_common.web.health import Dependency, health_router
from datapact_common.web.lifespan import state_value


async def _redis(request: Request) -> None:
    await state_value(request, "monitor", Monitor).state.ping()


router = health_router("compliance-monitor", [Dependency("redis", _redis)])
