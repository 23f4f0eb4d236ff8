"""Recording compliance results and summarizing them."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.compliance import repository as repo
from contract_service.compliance.models import ComplianceCheck
from contract_service.compliance.schemas import (
    ComplianceBatchIn,
    ComplianceBatchOut,
    ComplianceCheckIn,
    ComplianceSummaryOut,
    ComplianceTrend,
    ContractCompliance,
    TrendPoint,
)
from contract_service.compliance.summary import (
    LatestEntry,
    OverallStatus,
    merge_latest,
    overall_status,
)
from contract_service.compliance.visibility import masked_latest, sees_details
from datapact_common.exceptions import NotFoundError
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Principal

SUMMARY_ERROR_CHARS = 500


async def record(
    session: AsyncSession, contract_id: uuid.UUID, result: ComplianceCheckIn, principal: Principal
) -> ComplianceCheck:
    inserted, _ = await _record(session, [(contract_id, result)], principal, sweep_id=None)
    row = await session.get(ComplianceCheck, inserted[0][0]) if inserted else None
    if row is None:
        raise NotFoundError(f"contract {contract_id} not found")
    return row


async def record_batch(
    session: AsyncSession, batch: ComplianceBatchIn, principal: Principal
) -> ComplianceBatchOut:
    """Record a sweep's results; results this sweep already recorded are left alone."""
    items: list[tuple[uuid.UUID, ComplianceCheckIn]] = [
        (item.contract_id, item) for item in batch.results
    ]
    rows, unknown = await _record(session, items, principal, sweep_id=batch.sweep_id)
    known = len(items)
    if unknown:
        known -= sum(1 for contract_id, _ in items if contract_id in unknown)
    return ComplianceBatchOut(
        sweep_id=batch.sweep_id,
        recorded=len(rows),
        duplicates=known - len(rows),
        unknown_contracts=sorted(unknown),
    )


async def _record(
    session: AsyncSession,
    items: list[tuple[uuid.UUID, ComplianceCheckIn]],
    principal: Principal,
    sweep_id: str | None,
) -> tuple[list[tuple[uuid.UUID, repo.NewCheck]], set[uuid.UUID]]:
    """Insert the results (once per sweep), then update each contract's latest summary.
    Returns the results inserted (with their ids), and the contracts that do not exist."""
    # The contract rows first (locked, in id order): a concurrent update of a contract then
    # waits here rather than deadlocking with the inserts' foreign-key locks.
    # Keyed by the ids' ints: a uuid.UUID hashes in Python code, an int in C.
    ids = {contract_id.int: contract_id for contract_id, _ in items}
    locked = await repo.lock_contracts(session, set(ids.values()))
    contracts = {contract_id.int: contract for contract_id, contract in locked.items()}
    unknown = {contract_id for key, contract_id in ids.items() if key not in contracts}
    now = utcnow()
    checks = [
        _new_check(contract_id, result, contracts[key].version, now)
        for contract_id, result in items
        if (key := contract_id.int) in contracts
    ]
    inserted_ids = await repo.insert_checks(
        session, checks, recorded_at=now, recorded_by=principal.sub, sweep_id=sweep_id
    )
    inserted: list[tuple[uuid.UUID, repo.NewCheck]] = []
    for check in checks:
        row_id = inserted_ids.pop(check.key, None)  # a key repeated: only its first is stored
        if row_id is not None:
            inserted.append((row_id, check))
    by_contract: dict[int, list[LatestEntry]] = {}
    for _, check in inserted:
        by_contract.setdefault(check.contract_id.int, []).append(_latest_entry(check))
    await repo.save_latest(
        session,
        {
            ids[key]: merge_latest(contracts[key].compliance, entries)
            for key, entries in by_contract.items()
        },
    )
    return inserted, unknown


def _new_check(
    contract_id: uuid.UUID, result: ComplianceCheckIn, version: str, now: datetime
) -> repo.NewCheck:
    return repo.NewCheck(
        contract_id=contract_id,
        contract_version=result.contract_version or version,
        check_type=str(result.check_type),
        rule=result.rule or "",
        status=str(result.status),
        details=result.details,
        error_message=result.error_message,
        # as the database gives it back (UTC): the summary keeps it as text
        checked_at=(result.checked_at or now).astimezone(UTC),
    )


def _latest_entry(check: repo.NewCheck) -> LatestEntry:
    error = check.error_message[:SUMMARY_ERROR_CHARS] if check.error_message else None
    entry: dict[str, Any] = {
        "status": check.status,
        "checked_at": check.checked_at.isoformat(),
        "error_message": error,
    }
    if check.rule:  # what the dashboard shows per rule, without reading the history
        details = check.details or {}
        for key in ("field", "rule", "violations"):
            value = details.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                entry[key] = value
    return LatestEntry(check.check_type, check.rule, check.checked_at, entry)


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
