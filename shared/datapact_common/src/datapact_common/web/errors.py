"""The one error contract of every DataPact API (docs/interfaces.md, "Error bodies").

Every error answer is ``{"detail": "<what is wrong>", ...}``; a 422 adds ``"errors": [{"loc",
"message", "type"}]``. :func:`install_error_handlers` maps, in one place:

- the domain exceptions of :mod:`datapact_common.exceptions` (their status and headers);
- request validation (FastAPI's ``RequestValidationError``) → 422 ``{detail, errors}``;
- Starlette's HTTP errors (unknown route 404, 405 with an ``Allow`` naming every method of
  the path, not only those of the first route that matched);
- database errors by SQLSTATE: a value PostgreSQL cannot take 422, a conflicting
  concurrent change 409, a database that cannot be reached 503 with ``Retry-After``;
  anything else a logged 500 that says no more;
- other dependencies a service names (its Redis) → 503.

Bad input is never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match

from datapact_common.exceptions import DataPactError

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

# SQLAlchemy (about 14 MB resident) is imported only by a service with a database: the
# monitor's API has none.

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# SQLSTATE classes that mean "cannot reach or use the database now": connection exception,
# invalid catalog (unknown database), invalid authorization, insufficient resources,
# operator intervention (shutting down).
UNAVAILABLE_SQLSTATES = ("08", "3D", "28", "53", "57P")
# Serialization failure, deadlock, lock not available: a concurrent change won.
CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


class Issue(BaseModel):
    """One validation error or warning, located in the document."""

    loc: str
    message: str
    type: str


class ErrorBody(BaseModel):
    detail: str
    errors: list[Issue] | None = None


_DESCRIPTIONS = {
    400: "The body could not be read (empty, not JSON/YAML, not UTF-8)",
    401: "No valid token",
    403: "The token may not do this",
    404: "Not found",
    405: "Method not allowed; `Allow` names those the path takes",
    409: "Conflicts with the current state",
    412: "If-Match names a version that is no longer current",
    413: "The body is too large",
    415: "Unsupported content type",
    422: "Invalid input; `errors` says where",
    429: "Too many requests; retry after `Retry-After` seconds",
    503: "A dependency does not answer; retry after `Retry-After` seconds",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the error statuses a route may answer."""
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}


def describe(errors: Iterable[Any], prefix: Sequence[str | int] = ()) -> list[dict[str, str]]:
    """pydantic errors → ``[{"loc": "payload.fields", "message": ..., "type": ...}]``."""
    described = []
    for error in errors:
        loc = ".".join(str(part) for part in (*prefix, *error.get("loc", ())))
        described.append(
            {
                "loc": loc or "(request)",
                "message": str(error.get("msg", "invalid")),
                "type": str(error.get("type", "value_error")),
            }
        )
    return described


def summary(errors: Sequence[Mapping[str, Any]]) -> str:
    """The first five problems in one line, for ``detail``."""
    parts = [f"{e['loc']}: {e['message']}" for e in errors[:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def error_response(
    status_code: int, detail: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(
        status_code=status_code, content={"detail": detail, **extra}, headers=headers
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DataPactError)
    return error_response(exc.status_code, exc.detail, exc.headers, **exc.extra)


async def _request_invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = describe(exc.errors())
    return error_response(422, f"invalid request: {summary(errors)}", errors=errors)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> set[str]:
    """Every method some route takes at this path (RFC 9110 §15.5.6), asked of the routes
    themselves: an included router is one route of the app, not a list of ``methods``."""
    routes = request.app.router.routes
    return {
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    }


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own answer (``{"detail"}``, no body for 204/304), with a complete ``Allow``."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allow = ", ".join(sorted(allowed_methods(request)))
        exc = HTTPException(405, exc.detail, headers={**(exc.headers or {}), "Allow": allow})
    return await http_exception_handler(request, exc)


def sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")


def _unavailable(what: str, exc: BaseException) -> JSONResponse:
    logger.warning("%s unavailable: %r", what, exc)
    return error_response(
        503,
        f"{what} unavailable ({type(exc).__name__}); retry shortly",
        {"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _database_error(request: Request, exc: Exception) -> Response:
    from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

    assert isinstance(exc, DBAPIError)
    state = sqlstate(exc)
    if state.startswith("22"):  # data exception: a value PostgreSQL cannot take
        message = str(exc.orig).splitlines()[-1] if exc.orig else "invalid value"
        return error_response(422, f"invalid value: {message}")
    if isinstance(exc, IntegrityError) or state.startswith("23") or state in CONFLICT_SQLSTATES:
        return error_response(409, "conflicting concurrent change; fetch the resource and retry")
    if (
        isinstance(exc, OperationalError | InterfaceError)
        or exc.connection_invalidated
        or state.startswith(UNAVAILABLE_SQLSTATES)
    ):
        return _unavailable("database", exc)
    logger.error("database error on %s", request.url.path, exc_info=exc)
    return error_response(500, "internal database error")


async def _connection_error(request: Request, exc: Exception) -> Response:
    # Network trouble reaching the database (refused, unreachable, DNS, connect timeout).
    return _unavailable("database", exc)


def install_error_handlers(
    app: FastAPI,
    *,
    database: bool = True,
    unavailable: Mapping[type[Exception], str] | None = None,
) -> None:
    """Install the error contract on ``app``.

    ``database``: map SQLAlchemy errors by SQLSTATE and network errors (``OSError``) to
    409/422/503 (off for a service without a SQL database). ``unavailable``: further
    exception types that mean a named dependency does not answer (``{RedisError: "Redis"}``),
    each a 503.
    """
    app.add_exception_handler(DataPactError, _domain_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(HTTPException, _http_error)
    if database:
        from sqlalchemy.exc import DBAPIError

        app.add_exception_handler(DBAPIError, _database_error)
        app.add_exception_handler(OSError, _connection_error)
    for kind, what in (unavailable or {}).items():
        app.add_exception_handler(kind, _dependency_handler(what))
    _describe_errors_in_openapi(app)


def _dependency_handler(what: str) -> Any:
    async def handle(request: Request, exc: Exception) -> Response:
        return _unavailable(what, exc)

    return handle


_REF = "#/components/schemas/"


def _describe_errors_in_openapi(app: FastAPI) -> None:
    """FastAPI documents every 422 as its own list-shaped ``HTTPValidationError``; the
    answer is an :class:`ErrorBody`, so the document says so."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        if "HTTPValidationError" in schemas:
            _replace_refs(document, _REF + "HTTPValidationError", _REF + "ErrorBody")
            del schemas["HTTPValidationError"]
            if _REF + "ValidationError" not in str(document):
                schemas.pop("ValidationError", None)
            body = ErrorBody.model_json_schema(ref_template=_REF + "{model}")
            for name, definition in body.pop("$defs", {}).items():
                schemas.setdefault(name, definition)
            schemas.setdefault("ErrorBody", body)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _replace_refs(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and value == old:
                node[key] = new
            else:
                _replace_refs(value, old, new)
    elif isinstance(node, list):
        for item in node:
            _replace_refs(item, old, new)
