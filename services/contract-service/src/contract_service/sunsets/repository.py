"""The sunset queries, in one place."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts.models import Contract
from contract_service.sunsets.models import SunsetNotice

# A JSON path literal in the statement (a bound parameter would be text, not jsonpath).
_DEPRECATED = text(
    "jsonb_path_exists(contracts.document, '$.schema[*].deprecated ? (@.type() == \"object\")')"
)


async def contracts_with_deprecations(
    session: AsyncSession,
) -> Sequence[tuple[uuid.UUID, dict[str, Any]]]:
    """(id, document) of every contract with a deprecated field."""
    rows = await session.execute(
        select(Contract.id, Contract.document).where(_DEPRECATED).order_by(Contract.name)
    )
    return [(row[0], row[1]) for row in rows]


async def sent(
    session: AsyncSession, contract_id: uuid.UUID
) -> dict[tuple[str, date | None], set[str]]:
    rows = await session.execute(
        select(SunsetNotice.field, SunsetNotice.sunset, SunsetNotice.stage).where(
            SunsetNotice.contract_id == contract_id
        )
    )
    found: dict[tuple[str, date | None], set[str]] = {}
    for field, sunset, stage in rows:
        found.setdefault((field, sunset), set()).add(stage)
    return found


async def record(
    session: AsyncSession, contract_id: uuid.UUID, field: str, sunset: date | None, stage: str
) -> bool:
    """Record a stage as sent; False when it already was (a concurrent sweep sent it)."""
    inserted = await session.scalar(
        insert(SunsetNotice)
        .values(id=uuid.uuid4(), contract_id=contract_id, field=field, sunset=sunset, stage=stage)
        .on_conflict_do_nothing()
        .returning(SunsetNotice.id)
    )
    return inserted is not None


async def contract(session: AsyncSession, contract_id: uuid.UUID) -> Contract | None:
    return await session.get(Contract, contract_id)
