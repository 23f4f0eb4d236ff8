"""POST /api/v1/contracts/odcs: an ODCS document into the registry (rules in service.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from contract_service.database import SessionDep
from contract_service.dependencies import CurrentPrincipal
from contract_service.documents import read_body
from contract_service.odcs.schemas import OdcsImportResult
from contract_service.odcs.service import import_document
from contract_service.responses import json_response
from datapact_common.odcs import read_odcs
from datapact_common.offload import off_loop
from datapact_common.web import ErrorBody

router = APIRouter(prefix="/api/v1/contracts", tags=["odcs"])

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "an ODCS v3 document, as YAML (application/yaml) or JSON",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/odcs",
    response_model=OdcsImportResult,
    openapi_extra=_BODY,
    responses={
        400: {"model": ErrorBody, "description": "the body is not valid JSON/YAML"},
        401: {"model": ErrorBody, "description": "no or invalid token"},
        403: {"model": ErrorBody, "description": "a contract of a team the token may not write"},
        409: {
            "model": ErrorBody,
            "description": "a version bump too small (with the changes), an object removed "
            "without a major version, or a name that is another team's or document's contract",
        },
        413: {"model": ErrorBody, "description": "body too large"},
        415: {"model": ErrorBody, "description": "not JSON or YAML"},
        422: {"model": ErrorBody, "description": "invalid or partial ODCS document"},
    },
)
async def import_odcs(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    team: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=255,
            description="publisher team to set (foreign documents often name none)",
        ),
    ] = None,
    owner: Annotated[
        str | None, Query(min_length=1, max_length=255, description="publisher owner to set")
    ] = None,
    dry_run: Annotated[bool, Query(description="plan and check; write nothing")] = False,
) -> Response:
    """Import an ODCS document: one contract per schema object, keyed by the document's
    `id` and the object's `name`. All or nothing (docs/odcs.md)."""
    document = await read_body(request)
    read = await off_loop(read_odcs, document, team=team, owner=owner)
    result = await import_document(
        session, read, str(document["id"]), principal=principal, dry_run=dry_run
    )
    return json_response(result.model_dump(mode="json"))


@router.api_route(
    "/odcs", methods=["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"], include_in_schema=False
)
async def odcs_other_methods() -> Response:
    """`/odcs` is not a contract id: other methods are 405, not 'invalid UUID'."""
    return json_response({"detail": "Method Not Allowed"}, 405, headers={"Allow": "POST"})
