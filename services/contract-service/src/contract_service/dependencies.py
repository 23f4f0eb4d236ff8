"""Request dependencies: who is calling (docs/design.md §6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from contract_service.config import get_settings
from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal, Service
from datapact_common.web import Auth

auth = Auth.of(get_settings, Service.CONTRACTS)

rate_limiter = RateLimiter(get_settings, auth, lambda: get_settings().redis_url)
DOCUMENTS_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.DOCUMENTS))
SEARCHES_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))

# The bearer scheme is declared in the OpenAPI document by `openapi.customize_openapi`.
CurrentPrincipal = Annotated[Principal, Depends(auth.require_token)]
ReaderPrincipal = Annotated[Principal | None, Depends(auth.reader)]
# Compliance results are the monitor's to record, nobody else's (docs/security.md).
MonitorPrincipal = Annotated[Principal, Depends(auth.require_service(Service.MONITOR))]
