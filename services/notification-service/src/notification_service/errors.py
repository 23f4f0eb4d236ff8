"""Request validation errors in the shape every DataPact API uses (docs/interfaces.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from datapact_common.exceptions import DataPactError


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
