"""Exception handlers: domain errors (datapact_common), request validation, database trouble.

Every error body is ``{"detail": "<what is wrong>", ...}``; bad input is never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from datapact_common.web import install_error_handlers

logger = logging.getLogger(__name__)

_RETRYABLE = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def _issues(exc: RequestValidationError) -> list[dict[str, Any]]:
    issues = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error.get("loc", ())) or "(request)"
        issues.append({"loc": loc, "message": str(error.get("msg", "")), "type": error.get("type")})
    return issues


async def _request_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = _issues(exc)
    summary = "; ".join(f"{i['loc']}: {i['message']}" for i in issues[:5])
    return JSONResponse(
        status_code=422, content={"detail": f"invalid request: {summary}", "errors": issues}
    )


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    state = _sqlstate(exc)
    if state.startswith("22"):  # data exception: a value PostgreSQL cannot take
        message = str(exc.orig).splitlines()[-1] if exc.orig else "invalid value"
        return JSONResponse(status_code=422, content={"detail": f"invalid value: {message}"})
    if isinstance(exc, IntegrityError) or state in _RETRYABLE:
        return JSONResponse(
            status_code=409,
            content={"detail": "conflicting concurrent change; fetch the resource and retry"},
        )
    if isinstance(exc, OperationalError | InterfaceError) or state.startswith(("08", "57P")):
        logger.warning("database unavailable: %s", exc)
        return _unavailable()
    logger.exception("database error", exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": "internal database error"})


async def _connection_error(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("database unreachable: %r", exc)
    return _unavailable()


def _unavailable() -> JSONResponse:
    return JSONResponse(
        status_code=503,
        content={"detail": "the contract database is unavailable; retry shortly"},
        headers={"Retry-After": "5"},
    )


def _allowed_methods(request: Request) -> set[str]:
    routers = getattr(request.app.state, "api_routers", [])
    routes = [*request.app.routes, *(route for router in routers for route in router.routes)]
    methods: set[str] = set()
    for route in routes:
        pattern = getattr(route, "path_regex", None)
        if pattern is not None and pattern.match(request.url.path):
            methods |= set(getattr(route, "methods", None) or ())
    return methods


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's handler, except that a 405 lists every method of the path in ``Allow``
    (Starlette lists only those of the first route that matched the path)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        allowed = ", ".join(sorted(_allowed_methods(request)))
        exc = StarletteHTTPException(405, exc.detail, headers={"Allow": allowed})
    return await http_exception_handler(request, exc)


def install(app: FastAPI) -> None:
    install_error_handlers(app)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(DBAPIError, _database_error)
    # Network trouble reaching PostgreSQL (refused, unreachable, DNS, timeouts).
    app.add_exception_handler(OSError, _connection_error)
