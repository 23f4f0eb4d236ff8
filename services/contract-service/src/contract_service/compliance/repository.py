"""Compliance queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Row, func, select, text
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


_SET_LATEST = text(
    """
    UPDATE contracts
    SET compliance = jsonb_set(compliance, ARRAY[CAST(:check_type AS text)], CAST(:entry AS jsonb))
    WHERE id = :contract_id
      AND (compliance -> CAST(:check_type AS text) IS NULL
           OR CAST(compliance -> CAST(:check_type AS text) ->> 'checked_at' AS timestamptz)
              <= :checked_at)
    """
)


async def set_latest(
    session: AsyncSession,
    contract_id: uuid.UUID,
    check_type: str,
    checked_at: datetime,
    entry: dict[str, Any],
) -> None:
    """Make ``entry`` the latest result of ``check_type`` unless a newer one is stored.

    One UPDATE, so concurrent results for different check types never overwrite each other
    (and the contract's ``updated_at`` stays: results are not document changes).
    """
    await session.execute(
        _SET_LATEST,
        {
            "contract_id": contract_id,
            "check_type": check_type,
            "checked_at": checked_at,
            "entry": orjson.dumps(entry).decode(),
        },
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
