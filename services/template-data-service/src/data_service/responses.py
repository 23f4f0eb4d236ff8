"""Error responses shared by the routes' OpenAPI descriptions, and the 503 mapping."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

logger = logging.getLogger(__name__)


class ErrorResponse(BaseModel):
    detail: str


DATABASE_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorResponse, "description": "the database does not answer"}
}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "a token was sent but is not valid"},
}


def install_database_error_handlers(app: FastAPI) -> None:
    """A database that does not answer is a 503 with a reason, never a bare 500."""

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        if (
            isinstance(exc, DBAPIError)
            and not isinstance(exc, OperationalError | InterfaceError)
            and not exc.connection_invalidated
        ):
            logger.error("database error on %s: %s", request.url.path, exc)
            return JSONResponse(status_code=500, content={"detail": "internal database error"})
        logger.warning("database unavailable: %s", exc)
        return JSONResponse(
            status_code=503,
            content={"detail": f"database unavailable ({type(exc).__name__})"},
            headers={"Retry-After": "5"},
        )

    # OSError/TimeoutError: asyncpg's connection refused or connect timeout.
    for kind in (DBAPIError, OSError, TimeoutError):
        app.add_exception_handler(kind, unavailable)
