"""Typed FastAPI dependencies: settings, the principal, the monitor of this process."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from compliance_monitor.config import Settings, get_settings
from compliance_monitor.monitoring.sweep import Monitor
from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal
from datapact_common.web import Auth

auth = Auth(
    lambda: get_settings().datapact_secret_key,
    lambda: get_settings().datapact_reads_require_auth,
)

rate_limiter = RateLimiter(get_settings, auth, lambda: get_settings().redis_url)
SEARCHES_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))

SettingsDep = Annotated[Settings, Depends(get_settings)]
CurrentPrincipal = Annotated[Principal, Depends(auth.require_token)]
OptionalReader = Annotated[Principal | None, Depends(auth.read_token)]


def get_monitor(request: Request) -> Monitor:
    monitor: Monitor = request.app.state.monitor
    return monitor


MonitorDep = Annotated[Monitor, Depends(get_monitor)]
