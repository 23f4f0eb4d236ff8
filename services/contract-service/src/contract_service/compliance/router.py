"""Compliance routes: per contract (the monitor writes) and across contracts (the dashboard)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from contract_service.compliance import repository as repo
from contract_service.compliance import service
from contract_service.compliance.schemas import (
    ComplianceBatchIn,
    ComplianceBatchOut,
    ComplianceCheckIn,
    ComplianceCheckList,
    ComplianceCheckOut,
    ComplianceSummaryOut,
    ComplianceTrend,
)
from contract_service.compliance.summary import OverallStatus
from contract_service.compliance.visibility import sees_details
from contract_service.contracts import repository as contracts_repo
from contract_service.database import ReadSessionDep, SessionDep
from contract_service.dependencies import MonitorPrincipal, ReaderPrincipal
from contract_service.responses import json_response
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.exceptions import NotFoundError
from datapact_common.timeutil import ensure_aware
from datapact_common.web import ErrorBody, FastJSONRoute

# The monitor posts results 500 at a time: their bodies are parsed by pydantic-core.
router = APIRouter(tags=["compliance"], route_class=FastJSONRoute)

ContractId = Annotated[uuid.UUID, Path(description="contract id")]
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 413, 422)
}


@router.post(
    "/api/v1/contracts/{contract_id}/compliance",
    status_code=201,
    response_model=ComplianceCheckOut,
    responses=_ERRORS,
)
async def record_check(
    contract_id: ContractId,
    result: ComplianceCheckIn,
    session: SessionDep,
    principal: MonitorPrincipal,
) -> Response:
    """Record one check result: only the compliance monitor's service token."""
    row = await service.record(session, contract_id, result, principal)
    return json_response(ComplianceCheckOut.of(row).model_dump(mode="json"), 201)


@router.post(
    "/api/v1/compliance/results:batch",
    response_model=ComplianceBatchOut,
    responses=_ERRORS,
)
async def record_batch(
    batch: ComplianceBatchIn, session: SessionDep, principal: MonitorPrincipal
) -> Response:
    """Record a sweep's results at once (only the compliance monitor's service token).

    Idempotent per sweep: a result already recorded under the same ``sweep_id`` (same
    contract, check type and rule) is not recorded again, so a retried request is harmless.
    Results of contracts that no longer exist are skipped and listed.
    """
    body = await service.record_batch(session, batch, principal)
    return json_response(body.model_dump(mode="json"))


@router.get(
    "/api/v1/contracts/{contract_id}/compliance",
    response_model=ComplianceCheckList,
    responses=_ERRORS,
)
async def list_checks(
    contract_id: ContractId,
    session: ReadSessionDep,
    reader: ReaderPrincipal,
    check_type: CheckType | None = None,
    status: CheckStatus | None = None,
    since: Annotated[datetime | None, Query(description="checked at or after")] = None,
    until: Annotated[datetime | None, Query(description="checked before")] = None,
    skip: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    """Check history, newest first. A check that could not reach the data service says why
    only to the publisher team, admins and services (others read that it was unreachable or
    not speaking the protocol)."""
    contract = await contracts_repo.get(session, contract_id)
    if contract is None:
        raise NotFoundError(f"contract {contract_id} not found")
    detailed = sees_details(reader, contract.publisher_team)
    filters = repo.CheckFilters(
        check_type=check_type,
        status=status,
        since=ensure_aware(since) if since else None,
        until=ensure_aware(until) if until else None,
    )
    rows, total = await repo.list_checks(session, contract_id, filters, skip, limit)
    body = ComplianceCheckList(
        checks=[ComplianceCheckOut.of(r, detailed) for r in rows],
        total=total,
        skip=skip,
        limit=limit,
    )
    return json_response(body.model_dump(mode="json"))


@router.get("/api/v1/compliance/summary", response_model=ComplianceSummaryOut)
async def compliance_summary(
    session: ReadSessionDep,
    reader: ReaderPrincipal,
    team: Annotated[str | None, Query(max_length=255)] = None,
    status: Annotated[
        OverallStatus | None, Query(description="only contracts whose overall status is this")
    ] = None,
    include_deprecated: bool = False,
    skip: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> Response:
    """Latest status per contract and check type, with totals for the dashboard."""
    body = await service.summary(
        session,
        team=team,
        status=status,
        include_deprecated=include_deprecated,
        skip=skip,
        limit=limit,
        reader=reader,
    )
    return json_response(body.model_dump(mode="json"))


@router.get("/api/v1/compliance/trend", response_model=ComplianceTrend)
async def compliance_trend(
    session: ReadSessionDep,
    _: ReaderPrincipal,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
    check_type: CheckType | None = None,
    contract_id: uuid.UUID | None = None,
) -> Response:
    """Daily pass rate of recorded checks (UTC days, oldest first)."""
    body = await service.trend(session, days, check_type, contract_id)
    return json_response(body.model_dump(mode="json"))
