"""FastAPI building blocks every service shares: error mapping, auth, body parsing, size limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from datapact_common.exceptions import (
    AuthenticationError,
    DataPactError,
    DocumentParseError,
    PermissionDeniedError,
    UnsupportedMediaTypeError,
)
from datapact_common.tokens import Principal, decode_token
from datapact_common.tokens import Scope as TokenScope
from datapact_common.yaml_io import parse_document

DOCUMENT_MEDIA_TYPES = frozenset(
    {"application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}
)


def install_error_handlers(app: FastAPI) -> None:
    """Map every domain exception to its HTTP status, in one place."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DataPactError)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": exc.detail, **exc.extra},
            headers=headers,
        )

    app.add_exception_handler(DataPactError, handle)


class BodySizeLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, declared or streamed.

    A streamed body that grows too large is answered with 413 at once; the application then
    sees the client as disconnected and whatever it answers itself is dropped. (Raising from
    ``receive`` instead would let FastAPI turn the error into a 400 for routes that parse a
    body model.)
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        received = 0
        response_started = False
        rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    rejected = True
                    if not response_started:
                        await self._reject(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if rejected:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not rejected:
                raise

    async def _reject(self, send: Send) -> None:
        body = f'{{"detail":"request body larger than {self.max_bytes} bytes"}}'.encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def read_document(request: Request) -> Any:
    """Read a JSON or YAML request body (``application/yaml`` is accepted wherever JSON is)."""
    media = (request.headers.get("content-type") or "application/json").split(";")[0].strip()
    if media.lower() not in DOCUMENT_MEDIA_TYPES:
        raise UnsupportedMediaTypeError(
            f"unsupported content type {media!r}; send application/json or application/yaml"
        )
    body = await request.body()
    if not body.strip():
        raise DocumentParseError("request body is empty")
    return parse_document(body, media)


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
