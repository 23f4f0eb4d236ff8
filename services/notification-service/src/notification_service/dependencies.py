"""Typed request dependencies: who is calling (the names: docs/conventions.md, "Auth")."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal, Scope, Service
from datapact_common.web import Auth
from notification_service.config import get_settings

auth = Auth.of(get_settings, Service.NOTIFICATIONS)

rate_limiter = RateLimiter(get_settings, auth, lambda: get_settings().redis_url)
SEARCHES_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))

ReaderPrincipal = Annotated[Principal | None, Depends(auth.reader)]
AdminPrincipal = Annotated[Principal, Depends(auth.require_admin)]
# Adding a watcher: a user who may write in DataPact (a publisher or an admin). No service
# adds watchers, and service tokens carry no 'contracts:write' (docs/security.md).
PublisherPrincipal = Annotated[Principal, Depends(auth.require_scope(Scope.CONTRACTS_WRITE))]
# Events come from the services that emit them, and from no one else.
EventSourcePrincipal = Annotated[
    Principal, Depends(auth.require_service(Service.CONTRACTS, Service.MONITOR))
]
