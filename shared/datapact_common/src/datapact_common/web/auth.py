"""Bearer-token checks bound to a service's secret, as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from datapact_common.exceptions import AuthenticationError, PermissionDeniedError
from datapact_common.tokens import Principal, decode_token
from datapact_common.tokens import Scope as TokenScope


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("Authorization header must be 'Bearer <token>'")
    return token.strip()


class Auth:
    """Token checks bound to a service's secret; used to build typed dependencies.

    ``CurrentPrincipal = Annotated[Principal, Depends(auth.require_token)]``

    The ``*_token`` methods are the checks as ``async`` dependencies: FastAPI runs a plain
    ``def`` dependency in its thread pool, a thread hop per request for microseconds of work.
    """

    def __init__(
        self, secret: Callable[[], str], reads_require_auth: Callable[[], bool] = lambda: False
    ) -> None:
        self._secret = secret
        self._reads_require_auth = reads_require_auth

    def optional(self, request: Request) -> Principal | None:
        token = bearer_token(request)
        return decode_token(self._secret(), token) if token else None

    def require(self, request: Request) -> Principal:
        principal = self.optional(request)
        if principal is None:
            raise AuthenticationError(
                "authentication required: send 'Authorization: Bearer <token>'"
            )
        return principal

    def require_service(self, request: Request) -> Principal:
        principal = self.require(request)
        if not (principal.is_service or principal.is_admin):
            raise PermissionDeniedError("this endpoint needs a 'service' or 'admin' token")
        return principal

    def require_scope(self, scope: TokenScope) -> Callable[[Request], Awaitable[Principal]]:
        async def dependency(request: Request) -> Principal:
            principal = self.require(request)
            if not principal.has_scope(scope):
                raise PermissionDeniedError(f"this endpoint needs the '{scope}' scope")
            return principal

        return dependency

    def reader(self, request: Request) -> Principal | None:
        """For GET routes: open unless DATAPACT_READS_REQUIRE_AUTH is set."""
        if self._reads_require_auth():
            return self.require(request)
        return self.optional(request)

    async def require_token(self, request: Request) -> Principal:
        return self.require(request)

    async def require_service_token(self, request: Request) -> Principal:
        return self.require_service(request)

    async def read_token(self, request: Request) -> Principal | None:
        return self.reader(request)
