"""Typed request dependencies: who is calling."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from datapact_common.exceptions import PermissionDeniedError
from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal, Scope, Service
from datapact_common.web import Auth
from notification_service.config import get_settings

auth = Auth(
    lambda: get_settings().datapact_secret_key,
    Service.NOTIFICATIONS,
    lambda: get_settings().datapact_reads_require_auth,
)


async def require_writer(request: Request) -> Principal:
    """Adding a watcher: a user who may write in DataPact (an admin or a publisher). No
    service adds watchers, so no service token may (docs/security.md)."""
    principal = auth.require(request)
    if not (principal.is_admin or Scope.CONTRACTS_WRITE in principal.scopes):
        raise PermissionDeniedError(
            "this endpoint needs a token with the 'contracts:write' or 'admin' scope"
        )
    return principal


# Events come from the services that emit them, and from no one else.
EventSourcePrincipal = Annotated[
    Principal, Depends(auth.require_service(Service.CONTRACTS, Service.MONITOR))
]
AdminPrincipal = Annotated[Principal, Depends(auth.require_admin)]
WriterPrincipal = Annotated[Principal, Depends(require_writer)]
Reader = Annotated[Principal | None, Depends(auth.reader)]

rate_limiter = RateLimiter(get_settings, auth, lambda: get_settings().redis_url)
SEARCHES_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))
