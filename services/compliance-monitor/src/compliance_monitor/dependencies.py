"""Typed FastAPI dependencies: settings, the principal, the monitor of this process."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from compliance_monitor.config import Settings, get_settings
from compliance_monitor.monitoring.sweep import Monitor
from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal, Scope, Service
from datapact_common.web import Auth
from datapact_common.web.lifespan import from_state

auth = Auth.of(get_settings, Service.MONITOR)

rate_limiter = RateLimiter(get_settings, auth, lambda: get_settings().redis_url)
SEARCHES_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))

SettingsDep = Annotated[Settings, Depends(get_settings)]
# Run-now is a publisher's (the team check follows once the contract is read) or an admin's;
# no service runs it.
PublisherPrincipal = Annotated[Principal, Depends(auth.require_scope(Scope.CONTRACTS_WRITE))]
ReaderPrincipal = Annotated[Principal | None, Depends(auth.reader)]


get_monitor = from_state("monitor", Monitor)
MonitorDep = Annotated[Monitor, Depends(get_monitor)]
