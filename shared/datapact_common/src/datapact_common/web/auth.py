"""Bearer-token checks of one DataPact API, as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request

from datapact_common.exceptions import AuthenticationError, PermissionDeniedError
from datapact_common.settings import ServiceSettings
from datapact_common.tokens import Principal, Service, VerifiedTokens
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
    """Token checks of one DataPact API, bound to the platform's secret: a token is accepted
    only when its audience is the platform (user tokens) or this API (the service tokens
    meant for it), see :func:`datapact_common.tokens.decode_token`.

    The dependencies, the same names in every service::

        auth.reader                      # reads: open unless DATAPACT_READS_REQUIRE_AUTH
        auth.require_token               # any valid token meant for this API
        auth.require_admin               # an admin token
        auth.require_scope(scope)        # a token with that scope (admins have all)
        auth.require_service(caller...)  # only the service tokens of these callers

    Routes take them as typed aliases of the service's ``dependencies.py``, with the same
    names everywhere: ``ReaderPrincipal``, ``CurrentPrincipal``, ``AdminPrincipal``,
    ``PublisherPrincipal`` (the ``contracts:write`` scope) and ``<Caller>Principal`` for
    ``require_service`` (docs/conventions.md, "Auth").

    They are ``async``: FastAPI runs a plain ``def`` dependency in its thread pool, a thread
    hop per request for microseconds of work. ``optional``/``require``/``read`` are the same
    checks for code that holds a request.

    Verified tokens are kept (``tokens``, a :class:`datapact_common.tokens.VerifiedTokens`):
    a token presented again is looked up, its ``exp`` checked anew, not decoded again.
    """

    def __init__(
        self,
        secret: Callable[[], str],
        api: Service,
        reads_require_auth: Callable[[], bool] = lambda: False,
        tokens: VerifiedTokens | None = None,
    ) -> None:
        self._secret = secret
        self.api = api
        self._reads_require_auth = reads_require_auth
        self.tokens = tokens if tokens is not None else VerifiedTokens()
        self._guards: list[Callable[[Request], Awaitable[Principal]]] = []

    @classmethod
    def of(cls, settings: Callable[[], ServiceSettings], api: Service) -> Auth:
        """The API's checks with DATAPACT_SECRET_KEY and DATAPACT_READS_REQUIRE_AUTH of its
        settings, read at each request: ``auth = Auth.of(get_settings, Service.CONTRACTS)``."""
        return cls(
            lambda: settings().datapact_secret_key,
            api,
            lambda: settings().datapact_reads_require_auth,
        )

    # --- the checks ----------------------------------------------------------------------------

    def optional(self, request: Request) -> Principal | None:
        token = bearer_token(request)
        return self.tokens.decode(self._secret(), token, self.api) if token else None

    def require(self, request: Request) -> Principal:
        principal = self.optional(request)
        if principal is None:
            raise AuthenticationError(
                "authentication required: send 'Authorization: Bearer <token>'"
            )
        return principal

    def read(self, request: Request) -> Principal | None:
        """Reads: open unless DATAPACT_READS_REQUIRE_AUTH is set; a token sent is verified."""
        if self._reads_require_auth():
            return self.require(request)
        return self.optional(request)

    # --- the dependencies ----------------------------------------------------------------------

    async def reader(self, request: Request) -> Principal | None:
        return self.read(request)

    async def require_token(self, request: Request) -> Principal:
        return self.require(request)

    async def require_admin(self, request: Request) -> Principal:
        principal = self.require(request)
        if not principal.is_admin:
            raise PermissionDeniedError("this endpoint needs an 'admin' token")
        return principal

    def require_scope(self, scope: TokenScope) -> Callable[[Request], Awaitable[Principal]]:
        async def dependency(request: Request) -> Principal:
            principal = self.require(request)
            if not principal.has_scope(scope):
                raise PermissionDeniedError(f"this endpoint needs the '{scope}' scope")
            return principal

        self._guards.append(dependency)
        return dependency

    def require_service(
        self, *callers: Service, admin: bool = False
    ) -> Callable[[Request], Awaitable[Principal]]:
        """Only the service tokens of ``callers`` (and admin tokens when ``admin``): a
        service token of any other service, or a user's write token, is a 403."""
        names = frozenset(c.value for c in callers)
        allowed = ", ".join(sorted(names)) + (" or an admin" if admin else "")

        async def dependency(request: Request) -> Principal:
            principal = self.require(request)
            if principal.service in names or (admin and principal.is_admin):
                return principal
            raise PermissionDeniedError(f"this endpoint is only for {allowed}")

        self._guards.append(dependency)
        return dependency

    def required_dependencies(self) -> list[Callable[..., Any]]:
        """Every dependency that needs a token (for the OpenAPI document's security)."""
        return [self.require_token, self.require_admin, *self._guards]
