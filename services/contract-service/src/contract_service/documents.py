"""Reading documents from request bodies safely.

`datapact_common.web.read_document` parses JSON or YAML. On top of that, a body must
hold only JSON values PostgreSQL and every client can store and read back exactly:
no NUL characters or lone surrogates, no NaN/Infinity, integers within 64 bits,
string keys only, and a bounded size once YAML aliases are expanded (a small
"billion laughs" body would otherwise explode in memory when serialized).
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.exceptions import (
    ContractValidationError,
    DocumentParseError,
    PayloadTooLargeError,
)
from datapact_common.offload import off_loop
from datapact_common.web import read_document
from datapact_common.yaml_io import MAX_DOCUMENT_DEPTH as MAX_DEPTH
from datapact_common.yaml_io import MAX_DOCUMENT_VALUES as MAX_NODES

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
# Body cap of the routes that take a document from callers without a token (validate, diff);
# writes get the app's CONTRACT_MAX_BODY_BYTES (2 MiB). A 10,000-field contract is ~700 KB.
OPEN_MAX_BODY_BYTES = 1024 * 1024


async def read_body(request: Request, max_bytes: int | None = None) -> Any:
    """The parsed JSON/YAML body, checked to be storable JSON (off the event loop);
    ``max_bytes``: the route's body cap, when below the app's."""
    try:
        return await read_document(request, ensure_json_safe, max_bytes=max_bytes)
    except RecursionError as exc:
        raise DocumentParseError("document is nested too deeply") from exc


async def read_contract(request: Request, max_bytes: int | None = None) -> ContractDefinition:
    """The body as a validated contract document (400 unparseable, 422 invalid)."""
    return await off_loop(parse_contract, await read_body(request, max_bytes))


def ensure_json_safe(data: Any, *, root: str = "") -> None:
    """Raise a 422 naming the first value that cannot be stored as JSON exactly."""
    nodes = 0
    stack: list[tuple[Any, str, int]] = [(data, root, 0)]
    while stack:
        value, loc, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise PayloadTooLargeError(
                f"document too large: more than {MAX_NODES} values (YAML aliases count "
                "each time they are used)"
            )
        if depth > MAX_DEPTH:
            _invalid(loc, f"nested deeper than {MAX_DEPTH} levels", "too_deep")
        if isinstance(value, str):
            _check_text(value, loc)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not _INT_MIN <= value <= _INT_MAX:
                _invalid(loc, "integer outside the 64-bit range", "int_range")
        elif isinstance(value, float):
            if not math.isfinite(value):
                _invalid(loc, "NaN and Infinity are not JSON numbers", "float_finite")
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    _invalid(loc, f"keys must be strings, got {key!r}", "key_type")
                _check_text(key, loc)
                stack.append((item, f"{loc}.{key}" if loc else key, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{loc}.{index}" if loc else str(index), depth + 1))
        else:
            _invalid(loc, f"{type(value).__name__} values are not allowed in JSON", "json_type")


def _check_text(text: str, loc: str) -> None:
    if "\x00" in text:
        _invalid(loc, "text must not contain NUL (\\u0000) characters", "string_nul")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        _invalid(loc, "text is not valid Unicode (lone surrogate)", "string_unicode")


def _invalid(loc: str, message: str, kind: str) -> None:
    where = loc or "(document)"
    raise ContractValidationError(
        f"invalid value at {where}: {message}",
        [{"loc": where, "message": message, "type": kind}],
    )
