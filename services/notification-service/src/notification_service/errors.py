"""Request validation errors in the shape every DataPact API uses (docs/interfaces.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from datapact_common.exceptions import DataPactError


class ErrorItem(BaseModel):
    loc: str
    message: str
    type: str


class ErrorBody(BaseModel):
    """Every error response: what is wrong, in words; validation errors list each problem."""

    detail: str
    errors: list[ErrorItem] = Field(default_factory=list)


_DESCRIPTIONS = {
    400: "The body could not be read (empty, not JSON, not UTF-8)",
    401: "No valid token",
    403: "The token may not do this",
    404: "Not found",
    409: "Conflicts with the current state",
    413: "The body is too large",
    415: "Unsupported content type",
    422: "Invalid input; `errors` says where",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the given error codes."""
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}


class InvalidRequestError(DataPactError):
    """Well-formed but unacceptable input (an unknown event type, a bad address...)."""

    status_code = 422

    def __init__(self, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail, errors=errors or [])


def describe(errors: Iterable[Any], prefix: Sequence[str | int] = ()) -> list[dict[str, Any]]:
    """pydantic errors → ``[{"loc": "payload.fields", "message": ..., "type": ...}]``."""
    described = []
    for error in errors:
        loc = [*prefix, *error.get("loc", ())]
        described.append(
            {
                "loc": ".".join(str(part) for part in loc),
                "message": str(error.get("msg", "invalid")),
                "type": str(error.get("type", "value_error")),
            }
        )
    return described


def summary(errors: list[dict[str, Any]]) -> str:
    parts = [f"{e['loc'] or 'body'}: {e['message']}" for e in errors[:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def install_validation_handler(app: FastAPI) -> None:
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = describe(exc.errors())
        return JSONResponse(
            status_code=422,
            content=jsonable_encoder(
                {"detail": f"invalid request: {summary(errors)}", "errors": errors}
            ),
        )

    app.add_exception_handler(RequestValidationError, handle)
