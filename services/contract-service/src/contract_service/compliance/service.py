"""Recording compliance results and summarizing them."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.compliance import repository as repo
from contract_service.compliance.models import ComplianceCheck
from contract_service.compliance.schemas import (
    ComplianceCheckIn,
    ComplianceSummaryOut,
    ComplianceTrend,
    ContractCompliance,
    TrendPoint,
)
from contract_service.compliance.summary import OverallStatus, overall_status
from contract_service.compliance.visibility import masked_latest, sees_details
from contract_service.contracts import repository as contracts_repo
from datapact_common.exceptions import NotFoundError
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Principal

SUMMARY_ERROR_CHARS = 500


async def record(
    session: AsyncSession, contract_id: uuid.UUID, result: ComplianceCheckIn, principal: Principal
) -> ComplianceCheck:
    version = await contracts_repo.version_of(session, contract_id)
    if version is None:
        raise NotFoundError(f"contract {contract_id} not found")
    now = utcnow()
    checked_at = result.checked_at or now
    check_type, status = str(result.check_type), str(result.status)
    error = result.error_message[:SUMMARY_ERROR_CHARS] if result.error_message else None
    entry = {"status": status, "checked_at": checked_at.isoformat(), "error_message": error}
    # The summary first: it locks the contract row before the insert below takes its
    # foreign-key lock, so a concurrent update of the contract cannot deadlock with it.
    await repo.set_latest(session, contract_id, check_type, checked_at, entry)
    row = ComplianceCheck(
        id=uuid.uuid4(),
        contract_id=contract_id,
        contract_version=result.contract_version or version,
        check_type=check_type,
        status=status,
        details=result.details,
        error_message=result.error_message,
        checked_at=checked_at,
        recorded_at=now,
        recorded_by=principal.sub,
    )
    session.add(row)
    await session.flush()
    return row


async def summary(
    session: AsyncSession,
    *,
    team: str | None,
    status: str | None,
    include_deprecated: bool,
    skip: int,
    limit: int,
    reader: Principal | None = None,
) -> ComplianceSummaryOut:
    """Latest status per contract; details of unreachable checks only for those who may
    read them (compliance.visibility)."""
    rows = await repo.latest_per_contract(session, team, include_deprecated)
    totals: Counter[str] = Counter({str(s): 0 for s in OverallStatus})
    by_type: dict[str, Counter[str]] = {}
    entries = []
    for contract_id, name, version, publisher_team, contract_status, latest in rows:
        overall = overall_status(latest)
        totals[overall] += 1
        for check_type, check in latest.items():
            by_type.setdefault(check_type, Counter())[str(check.get("status"))] += 1
        if status is None or overall == status:
            entries.append(
                ContractCompliance(
                    contract_id=contract_id,
                    contract_name=name,
                    version=version,
                    team=publisher_team,
                    contract_status=contract_status,
                    status=overall,
                    checks=latest
                    if sees_details(reader, publisher_team)
                    else masked_latest(latest),
                )
            )
    return ComplianceSummaryOut(
        totals={"contracts": len(rows), **{str(k): v for k, v in totals.items()}},
        by_check_type={k: dict(v) for k, v in sorted(by_type.items())},
        contracts=entries[skip : skip + limit],
        total=len(entries),
        skip=skip,
        limit=limit,
    )


async def trend(
    session: AsyncSession, days: int, check_type: str | None, contract_id: uuid.UUID | None
) -> ComplianceTrend:
    """One point per UTC day, oldest first, today included."""
    today = utcnow().date()
    first = today - timedelta(days=days - 1)
    start = utcnow().replace(
        year=first.year, month=first.month, day=first.day, hour=0, minute=0, second=0, microsecond=0
    )
    counts = await repo.daily_counts(session, start, check_type, contract_id)
    points = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        by_status = counts.get(day, {})
        total = sum(by_status.values())
        passed = by_status.get("pass", 0)
        points.append(
            TrendPoint(
                date=day,
                total=total,
                passed=passed,
                failed=by_status.get("fail", 0),
                warnings=by_status.get("warning", 0),
                errors=by_status.get("error", 0),
                pass_rate=round(passed / total, 4) if total else None,
            )
        )
    return ComplianceTrend(days=days, check_type=check_type, contract_id=contract_id, points=points)
