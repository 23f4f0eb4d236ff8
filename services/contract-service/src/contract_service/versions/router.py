"""Version history and diff routes."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request, Response

from contract_service.contracts.ordering import ordered_document
from contract_service.contracts.service import ContractService
from contract_service.database import ReadSessionDep
from contract_service.dependencies import DOCUMENTS_LIMIT, ReaderPrincipal
from contract_service.documents import OPEN_MAX_BODY_BYTES, read_contract
from contract_service.openapi import document_body
from contract_service.responses import json_response
from contract_service.versions import repository as repo
from contract_service.versions.schemas import VersionEntry, VersionList
from contract_service.versions.service import diff_versions, get_version
from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeReport
from datapact_common.odcs import EXPORT_API_VERSION, OdcsVersion, to_odcs
from datapact_common.offload import off_loop
from datapact_common.semver import SEMVER_PATTERN
from datapact_common.web import ErrorBody
from datapact_common.yaml_io import dump_yaml

router = APIRouter(prefix="/api/v1/contracts", tags=["versions"])

ContractId = Annotated[uuid.UUID, Path(description="contract id")]
Version = Annotated[str, Path(pattern=SEMVER_PATTERN, max_length=50, description="e.g. 1.2.0")]
_NOT_FOUND: dict[int | str, dict[str, object]] = {404: {"model": ErrorBody}}


@router.get("/{contract_id}/versions", response_model=VersionList, responses=_NOT_FOUND)
async def list_versions(
    contract_id: ContractId, session: ReadSessionDep, _: ReaderPrincipal
) -> Response:
    """Every published version, oldest first."""
    contract = await ContractService.get(session, contract_id)
    rows = await repo.list_for_contract(session, contract_id)
    body = VersionList(
        contract_id=str(contract.id),
        name=contract.name,
        current_version=contract.version,
        versions=[VersionEntry.of(r) for r in rows],
    )
    return json_response(body.model_dump(mode="json"))


@router.get(
    "/{contract_id}/versions/{version}",
    response_model=ContractDefinition,
    responses=_NOT_FOUND,
)
async def get_version_snapshot(
    contract_id: ContractId, version: Version, session: ReadSessionDep, _: ReaderPrincipal
) -> Response:
    """The document exactly as published at ``version``."""
    contract = await ContractService.get(session, contract_id)
    row = await get_version(session, contract_id, contract.name, version)
    return json_response(ordered_document(row.contract_snapshot))


@router.get("/{contract_id}/diff", response_model=ChangeReport, responses=_NOT_FOUND)
async def diff_published_versions(
    contract_id: ContractId,
    session: ReadSessionDep,
    _: ReaderPrincipal,
    from_version: Annotated[
        str | None,
        Query(alias="from", pattern=SEMVER_PATTERN, max_length=50, description="default: previous"),
    ] = None,
    to_version: Annotated[
        str | None,
        Query(alias="to", pattern=SEMVER_PATTERN, max_length=50, description="default: current"),
    ] = None,
) -> Response:
    contract = await ContractService.get(session, contract_id)
    report = await diff_versions(
        session, contract_id, contract.name, contract.version, from_version, to_version
    )
    return json_response(await off_loop(report.model_dump, mode="json"))


@router.post(
    "/{contract_id}/diff",
    response_model=ChangeReport,
    openapi_extra=document_body(ContractDefinition, "the proposed document (nothing is saved)"),
    responses={
        **_NOT_FOUND,
        400: {"model": ErrorBody},
        413: {"model": ErrorBody},
        422: {"model": ErrorBody},
    },
    dependencies=[DOCUMENTS_LIMIT],
)
async def diff_proposed_document(
    contract_id: ContractId, request: Request, session: ReadSessionDep, _: ReaderPrincipal
) -> Response:
    """What an update to the proposed document would change, and whether its bump is enough."""
    document = await read_contract(request, OPEN_MAX_BODY_BYTES)
    report = await ContractService.diff_proposed(session, contract_id, document)
    return json_response(await off_loop(report.model_dump, mode="json"))


@router.get(
    "/{contract_id}/odcs",
    responses={
        200: {
            "description": "the contract as an ODCS v3 document (YAML; JSON for "
            "`Accept: application/json`)",
            "content": {"application/yaml": {}, "application/json": {}},
        },
        **_NOT_FOUND,
        422: {"model": ErrorBody, "description": "bad query, or not expressible in that version"},
    },
)
async def export_odcs(
    contract_id: ContractId,
    request: Request,
    session: ReadSessionDep,
    _: ReaderPrincipal,
    version: Annotated[
        str | None,
        Query(pattern=SEMVER_PATTERN, max_length=50, description="default: the current one"),
    ] = None,
    odcs_version: Annotated[
        OdcsVersion,
        Query(description="the ODCS version to write (default: the newest DataPact writes)"),
    ] = EXPORT_API_VERSION,
) -> Response:
    """The contract (or one published version of it) exported as Open Data Contract Standard
    v3; `datapact import` or any ODCS tool reads it back without loss. A contract imported
    from an ODCS document is written back onto that document (what DataPact does not model
    kept as written); 422 when that document needs a newer `odcs_version`."""
    contract = await ContractService.get(session, contract_id)
    row = await get_version(session, contract_id, contract.name, version or contract.version)
    # The current document as written (key order kept: JSONB snapshots reorder the ODCS
    # sections a contract keeps verbatim).
    current = row.version == contract.version
    snapshot = orjson.loads(contract.document_json) if current else row.contract_snapshot
    # Validating against the official schema is CPU work: off the event loop.
    document = await off_loop(_odcs_document, snapshot, odcs_version)
    filename = f"{contract.name}-{row.version}.odcs"
    if "application/json" in request.headers.get("accept", ""):
        return json_response(
            document, headers={"Content-Disposition": f'inline; filename="{filename}.json"'}
        )
    return Response(
        await off_loop(dump_yaml, document),
        media_type="application/yaml",
        headers={"Content-Disposition": f'inline; filename="{filename}.yaml"'},
    )


def _odcs_document(snapshot: dict[str, Any], odcs_version: OdcsVersion) -> dict[str, Any]:
    return to_odcs(ContractDefinition.model_validate(snapshot), api_version=odcs_version)
