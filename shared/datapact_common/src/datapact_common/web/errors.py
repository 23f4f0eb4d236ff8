"""One mapping from the domain exceptions to HTTP responses, for every service."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from datapact_common.exceptions import AuthenticationError, DataPactError, RateLimitedError


def install_error_handlers(app: FastAPI) -> None:
    """Map every domain exception to its HTTP status, in one place."""

    async def handle(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DataPactError)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
        if isinstance(exc, RateLimitedError):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": exc.detail, **exc.extra},
            headers=headers,
        )

    app.add_exception_handler(DataPactError, handle)
