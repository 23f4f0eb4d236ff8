"""Contract routes: thin, the rules live in ContractService."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Path, Query, Request, Response

from contract_service.contracts import repository as repo
from contract_service.contracts.conditional import body_tag, read_response
from contract_service.contracts.repository import Cursor, ListFilters
from contract_service.contracts.schemas import (
    ContractList,
    ContractResponse,
    FieldList,
    ValidationReport,
    VersionBumpConflict,
)
from contract_service.contracts.service import (
    ContractService,
    WriteResult,
    create_new,
    prepare_new,
)
from contract_service.contracts.sorting import ContractSort, SortOrder
from contract_service.contracts.validation import validate_document
from contract_service.contracts.views import contract_bytes, list_bytes
from contract_service.database import ReadSessionDep, SessionDep
from contract_service.dependencies import (
    DOCUMENTS_LIMIT,
    SEARCHES_LIMIT,
    CurrentPrincipal,
    ReaderPrincipal,
)
from contract_service.documents import (
    OPEN_MAX_BODY_BYTES,
    read_body,
    read_contract,
    read_contract_then,
)
from contract_service.openapi import document_body
from contract_service.responses import json_bytes, json_response
from datapact_common.contract_schema import ContractDefinition, ContractStatus
from datapact_common.exceptions import (
    ContractValidationError,
    DocumentParseError,
    InvalidRequestError,
    NotFoundError,
)
from datapact_common.tokens import Principal
from datapact_common.web import ErrorBody

router = APIRouter(prefix="/api/v1/contracts", tags=["contracts"])

ContractId = Annotated[uuid.UUID, Path(description="contract id")]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description='the ETag (or `"<version>"`) the change is based on; 412 if the contract '
        "has moved on since",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        max_length=1000,
        description="ETags the reader holds: 304 with no body when the body is still the same",
    ),
]
MAX_PAGE = 500

_DOCUMENT = document_body(
    ContractDefinition, "the contract document, as JSON or YAML (application/yaml)"
)
_WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "the body is not valid JSON/YAML"},
    401: {"model": ErrorBody, "description": "no or invalid token"},
    403: {"model": ErrorBody, "description": "the token may not write this team's contracts"},
    413: {"model": ErrorBody, "description": "body too large"},
    415: {"model": ErrorBody, "description": "not JSON or YAML"},
    422: {"model": ErrorBody, "description": "the document is not a valid contract"},
}


@router.post(
    "",
    status_code=201,
    response_model=ContractResponse,
    openapi_extra=_DOCUMENT,
    responses={**_WRITE_ERRORS, 409: {"model": ErrorBody, "description": "name taken"}},
)
async def create_contract(request: Request, principal: CurrentPrincipal) -> Response:
    # One trip to the worker threads (parse, validate, prepare the rows), one statement
    # (docs/performance.md, "Creates"); the same rows as `ContractService.create`.
    new = await read_contract_then(
        request, functools.partial(prepare_new, changed_by=principal.sub, principal=principal)
    )
    row = await create_new(new)
    body = contract_bytes(row, principal)
    return json_bytes(
        body,
        201,
        headers={
            "Location": f"/api/v1/contracts/{row.id}",
            "ETag": body_tag(row.version, body),
        },
    )


@router.get("", response_model=ContractList, dependencies=[SEARCHES_LIMIT])
async def list_contracts(
    session: ReadSessionDep,
    reader: ReaderPrincipal,
    status: ContractStatus | None = None,
    team: Annotated[str | None, Query(max_length=255, description="publisher team")] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="text in name, description, field names")
    ] = None,
    skip: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    updated_since: Annotated[
        datetime | None, Query(description="keyset mode: items updated at or after this time")
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=200, description="next_cursor of the previous page")
    ] = None,
    sort: Annotated[
        ContractSort | None, Query(description="order of skip/limit pages (default name)")
    ] = None,
    order: Annotated[SortOrder | None, Query(description="asc (default) or desc")] = None,
) -> Response:
    filters = ListFilters(status=status, team=team, tag=tag, q=q)
    if updated_since is not None or cursor is not None:
        if sort is not None or order is not None:
            raise _keyset_sort_error(sort, order)
        rows, total, next_cursor = await repo.list_views_since(
            session, filters, updated_since, Cursor.decode(cursor) if cursor else None, limit
        )
        extra = {
            "total": total,
            "skip": 0,
            "limit": limit,
            "next_cursor": next_cursor.encode() if next_cursor else None,
        }
        return json_bytes(list_bytes("contracts", list(rows), extra, reader))
    rows, total = await repo.list_views(
        session, filters, skip, limit, sort or ContractSort.NAME, order or SortOrder.ASC
    )
    extra = {"total": total, "skip": skip, "limit": limit, "next_cursor": None}
    return json_bytes(list_bytes("contracts", list(rows), extra, reader))


def _keyset_sort_error(sort: ContractSort | None, order: SortOrder | None) -> Exception:
    errors = [
        {"loc": f"query.{name}", "message": "not with updated_since/cursor", "type": "sort"}
        for name, value in (("sort", sort), ("order", order))
        if value is not None
    ]
    return ContractValidationError(
        "keyset pages (updated_since, cursor) are ordered by (updated_at, id): leave out"
        " sort and order, or page with skip/limit",
        errors,
    )


@router.post(
    "/validate",
    response_model=ValidationReport,
    openapi_extra=document_body(ContractDefinition, "a contract document to check"),
    responses={413: {"model": ErrorBody}, 415: {"model": ErrorBody}},
    dependencies=[DOCUMENTS_LIMIT],
)
async def validate_contract(
    request: Request, session: ReadSessionDep, _: ReaderPrincipal
) -> Response:
    """Check a document without saving it: errors, and warnings worth a look."""
    try:
        data = await read_body(request, OPEN_MAX_BODY_BYTES)
    except DocumentParseError as exc:
        issue = {"loc": "(document)", "message": exc.detail, "type": "parse_error"}
        return json_response({"valid": False, "errors": [issue], "warnings": []})
    except InvalidRequestError as exc:  # not storable JSON (the contract is checked below)
        return json_response({"valid": False, "errors": exc.errors, "warnings": []})
    return json_response(await validate_document(session, data))


@router.api_route(
    "/validate",
    methods=["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"],
    include_in_schema=False,
)
async def validate_other_methods() -> Response:
    """`/validate` is not a contract id: other methods are 405, not 'invalid UUID'."""
    return json_response({"detail": "Method Not Allowed"}, 405, headers={"Allow": "POST"})


_READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "If-None-Match names the current body: no body"},
    404: {"model": ErrorBody},
}


@router.get("/name/{name}", response_model=ContractResponse, responses=_READ_RESPONSES)
async def get_contract_by_name(
    name: Annotated[str, Path(max_length=255)],
    reader: ReaderPrincipal,
    if_none_match: IfNoneMatch = None,
) -> Response:
    return await read_by_name(name, reader, if_none_match)


@router.get("/{contract_id}", response_model=ContractResponse, responses=_READ_RESPONSES)
async def get_contract(
    contract_id: ContractId,
    reader: ReaderPrincipal,
    if_none_match: IfNoneMatch = None,
) -> Response:
    return await read_by_id(contract_id, reader, if_none_match)


# The two hot reads once their input is valid, also answered by `fast_reads` (same bytes).


async def read_by_name(name: str, reader: Principal | None, if_none_match: str | None) -> Response:
    row = await repo.view_by_name(name)
    if row is None:
        raise NotFoundError(f"contract '{name}' not found")
    return read_response(contract_bytes(row, reader), row.version, if_none_match)


async def read_by_id(
    contract_id: uuid.UUID, reader: Principal | None, if_none_match: str | None
) -> Response:
    row = await repo.view_by_id(contract_id)
    if row is None:
        raise NotFoundError(f"contract {contract_id} not found")
    return read_response(contract_bytes(row, reader), row.version, if_none_match)


@router.put(
    "/{contract_id}",
    response_model=ContractResponse,
    openapi_extra=_DOCUMENT,
    responses={
        **_WRITE_ERRORS,
        404: {"model": ErrorBody},
        409: {"model": VersionBumpConflict, "description": "version bump too small"},
        412: {"model": ErrorBody, "description": "If-Match names a version no longer current"},
    },
)
async def update_contract(
    contract_id: ContractId,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> Response:
    """Replace the document; a new version under the semver policy (docs/design.md §4). The
    registered subscribers are kept whatever the document lists (`DataPact-Notice` says
    so when they differ)."""
    document = await read_contract(request)
    result = await ContractService.update(
        session, contract_id, document, principal.sub, principal=principal, if_match=if_match
    )
    return _written(result, principal)


def _written(result: WriteResult, principal: Principal) -> Response:
    body = contract_bytes(result.contract, principal)
    headers = {"ETag": body_tag(result.contract.version, body)}
    if result.notices:
        headers["DataPact-Notice"] = "; ".join(result.notices)
    return json_bytes(body, headers=headers)


@router.delete(
    "/{contract_id}",
    response_model=ContractResponse,
    responses={
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        404: {"model": ErrorBody},
        412: {"model": ErrorBody, "description": "If-Match names a version no longer current"},
    },
)
async def deprecate_contract(
    contract_id: ContractId,
    session: SessionDep,
    principal: CurrentPrincipal,
    reason: Annotated[str | None, Query(max_length=1000)] = None,
    if_match: IfMatch = None,
) -> Response:
    """Deprecate (soft delete): status ``deprecated`` as a new minor version."""
    result = await ContractService.deprecate(
        session, contract_id, principal.sub, principal=principal, reason=reason, if_match=if_match
    )
    return _written(result, principal)


@router.get(
    "/{contract_id}/fields", response_model=FieldList, responses={404: {"model": ErrorBody}}
)
async def list_fields(contract_id: ContractId, _: ReaderPrincipal) -> Response:
    row = await repo.view_by_id(contract_id)
    if row is None:
        raise NotFoundError(f"contract {contract_id} not found")
    doc = orjson.loads(row.document_json)
    return json_response(
        {
            "contract_id": str(row.id),
            "name": doc["name"],
            "version": doc["version"],
            "fields": doc["schema"],
        }
    )
