"""Typed request dependencies: who is calling."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from datapact_common.exceptions import PermissionDeniedError
from datapact_common.ratelimit import RateLimiter, RateLimitGroup
from datapact_common.tokens import Principal, Scope
from datapact_common.web import Auth
from notification_service.config import get_settings

auth = Auth(
    lambda: get_settings().datapact_secret_key,
    lambda: get_settings().datapact_reads_require_auth,
)


async def require_writer(request: Request) -> Principal:
    """Watchers and preferences: any token that may write something in DataPact."""
    principal = auth.require(request)
    if not (
        principal.is_admin or principal.is_service or Scope.CONTRACTS_WRITE in principal.scopes
    ):
        raise PermissionDeniedError(
            "this endpoint needs a token with the 'contracts:write', 'admin' or 'service' scope"
        )
    return principal


ServicePrincipal = Annotated[Principal, Depends(auth.require_service_token)]
WriterPrincipal = Annotated[Principal, Depends(require_writer)]
Reader = Annotated[Principal | None, Depends(auth.read_token)]

rate_limiter = RateLimiter(get_settings, auth, lambda: get_settings().redis_url)
SEARCHES_LIMIT = Depends(rate_limiter.limit(RateLimitGroup.SEARCHES))
