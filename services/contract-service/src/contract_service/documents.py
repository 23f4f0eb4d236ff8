"""Reading documents from request bodies safely.

`datapact_common.web.read_document` parses JSON or YAML. On top of that, a body must
hold only JSON values PostgreSQL and every client can store and read back exactly
(`datapact_common.json_safety.ensure_json_safe`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.exceptions import (
    DocumentParseError,
)
from datapact_common.json_safety import ensure_json_safe
from datapact_common.offload import off_loop
from datapact_common.web import read_document

# Body cap of the routes that take a document from callers without a token (validate, diff);
# writes get the app's CONTRACT_MAX_BODY_BYTES (2 MiB). A 10,000-field contract is ~700 KB.
OPEN_MAX_BODY_BYTES = 1024 * 1024


async def read_body(
    request: Request,
    max_bytes: int | None = None,
    check: Callable[[Any], object] = ensure_json_safe,
) -> Any:
    """The parsed JSON/YAML body, checked to be storable JSON (off the event loop);
    ``max_bytes``: the route's body cap, when below the app's; ``check``: what to run on the
    parsed body in the same worker thread (:func:`ensure_json_safe` at least)."""
    try:
        return await read_document(request, check, max_bytes=max_bytes)
    except RecursionError as exc:
        raise DocumentParseError("document is nested too deeply") from exc


async def read_contract(request: Request, max_bytes: int | None = None) -> ContractDefinition:
    """The body as a validated contract document (400 unparseable, 422 invalid)."""
    return await off_loop(parse_contract, await read_body(request, max_bytes))


T = TypeVar("T")


async def read_contract_then(request: Request, then: Callable[[ContractDefinition], T]) -> T:
    """:func:`read_contract`, then ``then`` on the validated document, in one trip to the
    worker threads instead of two (parsing, the storable-JSON check, the contract's
    validation and ``then`` run one after the other there, with the same errors)."""
    result: list[T] = []

    def check(data: Any) -> None:
        ensure_json_safe(data)
        result.append(then(parse_contract(data)))

    await read_body(request, check=check)
    return result[0]
