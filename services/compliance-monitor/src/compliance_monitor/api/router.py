"""Thin routes: run one contract's checks now, report the last sweeps."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from compliance_monitor.api.schemas import RunResponse, StatusResponse, SweepStatus
from compliance_monitor.dependencies import (
    SEARCHES_LIMIT,
    MonitorDep,
    PublisherPrincipal,
    ReaderPrincipal,
    SettingsDep,
)
from compliance_monitor.monitoring.sweep import ALL_KINDS
from datapact_common.web import error_responses

router = APIRouter(prefix="/api/v1", tags=["monitor"])


@router.post(
    "/checks/{contract_id}/run",
    response_model=RunResponse,
    responses=error_responses(401, 403, 404, 409, 429, 503),
)
async def run_checks(
    contract_id: uuid.UUID, principal: PublisherPrincipal, monitor: MonitorDep
) -> RunResponse:
    """Run schema, quality and availability checks of one contract now and record them.

    Allowed to the contract's publisher team and admins. At most
    ``MONITOR_RUN_NOW_PER_TEAM`` runs of one publisher team at once (429 with
    ``Retry-After`` beyond); a run lasts at most ``MONITOR_RUN_NOW_BUDGET_SECONDS``, and what
    it could not finish in that time is an ``error`` (``timed out``).
    """
    outcome = await monitor.run_contract(str(contract_id), principal)
    return RunResponse.model_validate(outcome.as_dict())


@router.get(
    "/status",
    response_model=StatusResponse,
    responses=error_responses(401, 503),
    dependencies=[SEARCHES_LIMIT],
)
async def status(_: ReaderPrincipal, monitor: MonitorDep, settings: SettingsDep) -> StatusResponse:
    """The last sweep of each kind: when, how long, how many checked, failed, errored."""
    sweeps = {}
    for kind in ALL_KINDS:
        last = await monitor.state.last_sweep(kind.value)
        sweeps[kind.value] = SweepStatus.model_validate(last) if last else None
    return StatusResponse(
        sweeps=sweeps,
        schedule_seconds={
            "schema": settings.schema_interval,
            "quality": settings.quality_interval,
            "availability": settings.availability_interval,
        },
        pending_events=len(await monitor.state.pending_events()),
    )
