"""Fast JSON responses (orjson), for bodies built from stored JSONB documents."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

import orjson
from fastapi import Response


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(content: Any) -> bytes:
    try:
        return orjson.dumps(content, default=_default)
    except TypeError:  # e.g. an integer beyond 64 bits stored before validation tightened
        return json.dumps(content, default=_default, ensure_ascii=False).encode()


def json_bytes(
    body: bytes, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A response whose JSON body is already serialized."""
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        dumps(content), status_code=status_code, headers=headers, media_type="application/json"
    )
