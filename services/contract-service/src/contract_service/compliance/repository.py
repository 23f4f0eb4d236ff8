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


# Every result of a request in one statement of fixed text. (A multi-row VALUES is compiled
# anew for every number of rows: half of the service's CPU per result, py-spy.) The results
# travel as one JSON array, written by orjson and read by ``jsonb_to_recordset``: an array
# per column cost asyncpg an encoding per element (18.6 % of the request's samples) and
# each result's details a dump of its own. The conflict target is the sweep's unique index,
# so a result a sweep already recorded is skipped, as before. Ids come from PostgreSQL
# (``gen_random_uuid()``: a ``uuid4`` per result was 9.8 % of the request's samples); the
# rows inserted are named by their key (contract, check type, rule).
_INSERT_MANY = text(
    """
    INSERT INTO compliance_checks (id, contract_id, contract_version, check_type, rule,
        status, details, error_message, checked_at, recorded_at, recorded_by, sweep_id)
    SELECT gen_random_uuid(), r.contract_id, r.contract_version, r.check_type, r.rule,
           r.status, r.details, r.error_message, r.checked_at,
           CAST(:recorded_at AS timestamptz), CAST(:recorded_by AS varchar),
           CAST(:sweep_id AS varchar)
    FROM jsonb_to_recordset(CAST(:rows AS jsonb))
         AS r(contract_id uuid, contract_version varchar, check_type varchar, rule varchar,
              status varchar, details jsonb, error_message text, checked_at timestamptz)
    ON CONFLICT (sweep_id, contract_id, check_type, rule) WHERE sweep_id IS NOT NULL
    DO NOTHING
    RETURNING id, contract_id, check_type, rule
    """
)

# (contract id as an int, check type, rule): ``uuid.UUID.__hash__`` is Python code, and a
# batch hashed each of its 500 ids about seven times (~6 % of the request's CPU); an int
# hashes in C.
CheckKey = tuple[int, str, str]


@dataclass(slots=True)
class NewCheck:
    """One result to insert (``recorded_at``, ``recorded_by`` and ``sweep_id`` are the
    request's). Not frozen: a frozen dataclass sets each field through
    ``object.__setattr__``, 2.6x the cost of building 500 of them."""

    contract_id: uuid.UUID
    contract_version: str | None
    check_type: str
    rule: str
    status: str
    details: dict[str, Any]
    error_message: str | None
    checked_at: datetime

    @property
    def key(self) -> CheckKey:
        return (self.contract_id.int, self.check_type, self.rule)


async def insert_checks(
    session: AsyncSession,
    checks: list[NewCheck],
    *,
    recorded_at: datetime,
    recorded_by: str | None,
    sweep_id: str | None,
) -> dict[CheckKey, uuid.UUID]:
    """Insert results; one a sweep already recorded (same contract, type and rule) is
    skipped. Returns the id of each row inserted, by its key (of results with the same key
    in one sweep, the first is inserted)."""
    if not checks:
        return {}
    rows = orjson.dumps(
        [
            {
                "contract_id": c.contract_id,
                "contract_version": c.contract_version,
                "check_type": c.check_type,
                "rule": c.rule,
                "status": c.status,
                "details": c.details,
                "error_message": c.error_message,
                "checked_at": c.checked_at,
            }
            for c in checks
        ]
    ).decode()
    result = await session.execute(
        _INSERT_MANY,
        {
            "rows": rows,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
            "sweep_id": sweep_id,
        },
    )
    return {(row[1].int, row[2], row[3]): row[0] for row in result.all()}


# Every summary of a request in one statement: one JSON object of them by contract id (25
# ``UPDATE``s a batch of 500 results, executed one by one before).
_SAVE_LATEST = text(
    """
    UPDATE contracts SET compliance = s.value
    FROM jsonb_each(CAST(:summaries AS jsonb)) AS s
    WHERE contracts.id = CAST(s.key AS uuid)
    """
)


async def save_latest(session: AsyncSession, latest: dict[uuid.UUID, dict[str, Any]]) -> None:
    """Store each contract's compliance summary (its ``updated_at`` stays: results are not
    document changes)."""
    if latest:
        summaries = orjson.dumps({str(cid): summary for cid, summary in latest.items()})
        await session.execute(_SAVE_LATEST, {"summaries": summaries.decode()})


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
