"""``GET /health``: 200 while the monitor's Redis answers (datapact_common.web.health)."""

from __future__ import annotations

from fastapi import Request

from compliance_monitor.dependencies import get_monitor
from datapact_common.web.health import Dependency, health_router


async def _redis(request: Request) -> None:
    await get_monitor(request).state.ping()


router = health_router("compliance-monitor", [Dependency("redis", _redis)])
