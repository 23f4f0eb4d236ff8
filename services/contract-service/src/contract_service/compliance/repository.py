"""Compliance queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Row, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from contract_service.compliance.models import ComplianceCheck
from contract_service.contracts.models import Contract


@dataclass(frozen=True)
class CheckFilters:
    check_type: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.check_type:
            clauses.append(ComplianceCheck.check_type == self.check_type)
        if self.status:
            clauses.append(ComplianceCheck.status == self.status)
        if self.since:
            clauses.append(ComplianceCheck.checked_at >= self.since)
        if self.until:
            clauses.append(ComplianceCheck.checked_at < self.until)
        return clauses


@dataclass(frozen=True)
class LockedContract:
    version: str
    compliance: dict[str, Any]


async def lock_contracts(
    session: AsyncSession, contract_ids: set[uuid.UUID]
) -> dict[uuid.UUID, LockedContract]:
    """Version and compliance summary of each existing contract, rows locked in id order."""
    if not contract_ids:
        return {}
    rows = await session.execute(
        select(Contract.id, Contract.version, Contract.compliance)
        .where(Contract.id.in_(sorted(contract_ids)))
        .order_by(Contract.id)
        .with_for_update()
    )
    return {row[0]: LockedContract(row[1], dict(row[2] or {})) for row in rows.all()}


async def insert_checks(
    session: AsyncSession, values: list[dict[str, Any]]
) -> list[ComplianceCheck]:
    """Insert results; one a sweep already recorded (same contract, type and rule) is
    skipped. Returns the rows inserted."""
    statement = (
        insert(ComplianceCheck)
        .values(values)
        .on_conflict_do_nothing(
            index_elements=["sweep_id", "contract_id", "check_type", "rule"],
            index_where=ComplianceCheck.sweep_id.is_not(None),
        )
        .returning(ComplianceCheck)
    )
    rows = await session.scalars(statement, execution_options={"populate_existing": True})
    return list(rows.all())


_SAVE_LATEST = text(
    "UPDATE contracts SET compliance = CAST(:compliance AS jsonb) WHERE id = :contract_id"
)


async def save_latest(session: AsyncSession, latest: dict[uuid.UUID, dict[str, Any]]) -> None:
    """Store each contract's compliance summary (its ``updated_at`` stays: results are not
    document changes)."""
    if latest:
        await session.execute(
            _SAVE_LATEST,
            [
                {"contract_id": contract_id, "compliance": orjson.dumps(summary).decode()}
                for contract_id, summary in latest.items()
            ],
        )


async def list_checks(
    session: AsyncSession, contract_id: uuid.UUID, filters: CheckFilters, skip: int, limit: int
) -> tuple[Sequence[ComplianceCheck], int]:
    clauses = [ComplianceCheck.contract_id == contract_id, *filters.clauses()]
    total = await session.scalar(select(func.count()).select_from(ComplianceCheck).where(*clauses))
    rows = await session.scalars(
        select(ComplianceCheck)
        .where(*clauses)
        .order_by(ComplianceCheck.checked_at.desc(), ComplianceCheck.id)
        .offset(skip)
        .limit(limit)
    )
    return rows.all(), int(total or 0)


SummaryRow = Row[uuid.UUID, str, str, str, str, dict[str, Any]]


async def latest_per_contract(
    session: AsyncSession, team: str | None, include_deprecated: bool
) -> Sequence[SummaryRow]:
    query = select(
        Contract.id,
        Contract.name,
        Contract.version,
        Contract.publisher_team,
        Contract.status,
        Contract.compliance,
    ).order_by(Contract.name)
    if team:
        query = query.where(Contract.publisher_team == team)
    if not include_deprecated:
        query = query.where(Contract.status != "deprecated")
    return (await session.execute(query)).all()


async def daily_counts(
    session: AsyncSession,
    start: datetime,
    check_type: str | None,
    contract_id: uuid.UUID | None,
) -> dict[date, dict[str, int]]:
    """Checks per UTC day since ``start``, counted by status."""
    day = func.date(func.timezone("UTC", ComplianceCheck.checked_at)).label("day")
    query = (
        select(day, ComplianceCheck.status, func.count())
        .where(ComplianceCheck.checked_at >= start)
        .group_by(day, ComplianceCheck.status)
    )
    if check_type:
        query = query.where(ComplianceCheck.check_type == check_type)
    if contract_id:
        query = query.where(ComplianceCheck.contract_id == contract_id)
    counts: dict[date, dict[str, int]] = {}
    for row in (await session.execute(query)).all():
        row_day: date = row[0]
        counts.setdefault(row_day, {})[str(row[1])] = int(row[2])
    return counts
