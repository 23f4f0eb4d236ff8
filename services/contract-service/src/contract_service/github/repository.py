"""Queries of the GitHub integration: webhook deliveries and the registry lookups of a check."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from contract_service.contracts.models import Contract
from contract_service.github.models import ProposalCheck, WebhookDelivery
from datapact_common.analysis.changes import same_table, table_key
from datapact_common.analysis.verdict import Registry
from datapact_common.contract_schema import ContractDefinition
from datapact_common.timeutil import utcnow

RECEIVED = "received"
PROCESSING = "processing"
PROCESSED = "processed"
REJECTED = "rejected"  # processed, but the registry refused some contract (push sync)
FAILED = "failed"
IGNORED = "ignored"


@dataclass
class ClaimedDelivery:
    id: uuid.UUID
    delivery_id: str
    event: str
    payload: dict[str, Any]
    attempts: int
    received_at: datetime


async def insert_delivery(
    session: AsyncSession,
    *,
    delivery_id: str,
    event: str,
    action: str | None,
    repository: str | None,
    payload: dict[str, Any],
) -> uuid.UUID | None:
    """Store a delivery; ``None`` when this ``X-GitHub-Delivery`` id is already stored."""
    row_id = uuid.uuid4()
    result = await session.execute(
        insert(WebhookDelivery)
        .values(
            id=row_id,
            delivery_id=delivery_id,
            event=event,
            action=action,
            repository=repository,
            status=RECEIVED,
            attempts=0,
            payload=payload,
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=[WebhookDelivery.delivery_id])
        .returning(WebhookDelivery.id)
    )
    inserted = result.scalar_one_or_none()
    return inserted


async def get_by_delivery_id(session: AsyncSession, delivery_id: str) -> WebhookDelivery | None:
    return await session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.delivery_id == delivery_id)
    )


async def requeue_if_unfinished(
    session: AsyncSession, delivery: WebhookDelivery, stale_after: timedelta
) -> bool:
    """Put a delivery back to ``received`` if it failed, never started, or its worker died."""
    stale_before = utcnow() - stale_after
    result = await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery.id,
            or_(
                WebhookDelivery.status.in_([FAILED, RECEIVED]),
                and_(
                    WebhookDelivery.status == PROCESSING,
                    WebhookDelivery.received_at < stale_before,
                ),
            ),
        )
        .values(status=RECEIVED)
        .returning(WebhookDelivery.id)
    )
    return result.scalar_one_or_none() is not None


async def claim(
    session: AsyncSession, row_id: uuid.UUID, stale_after: timedelta
) -> ClaimedDelivery | None:
    """Mark a delivery ``processing`` unless another run has it or it is finished."""
    stale_before = utcnow() - stale_after
    result = await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == row_id,
            or_(
                WebhookDelivery.status == RECEIVED,
                and_(
                    WebhookDelivery.status == PROCESSING,
                    WebhookDelivery.received_at < stale_before,
                ),
            ),
        )
        .values(status=PROCESSING, attempts=WebhookDelivery.attempts + 1)
        .returning(
            WebhookDelivery.id,
            WebhookDelivery.delivery_id,
            WebhookDelivery.event,
            WebhookDelivery.payload,
            WebhookDelivery.attempts,
            WebhookDelivery.received_at,
        )
    )
    row = result.first()
    if row is None:
        return None
    return ClaimedDelivery(
        row.id, row.delivery_id, row.event, row.payload, row.attempts, row.received_at
    )


async def finish(
    session: AsyncSession, row_id: uuid.UUID, status: str, error: str | None = None
) -> None:
    done = status not in (RECEIVED, PROCESSING)
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == row_id)
        .values(
            status=status,
            error=error[:10_000] if error else None,
            processed_at=utcnow() if done else None,
        )
    )


async def unfinished(
    session: AsyncSession, *, waiting_since: datetime, stale_before: datetime, limit: int
) -> list[uuid.UUID]:
    """Deliveries the worker should have picked up by now (a lost queue message or worker)."""
    rows = await session.scalars(
        select(WebhookDelivery.id)
        .where(
            or_(
                and_(  # never picked up (a retry waiting for its countdown has attempts)
                    WebhookDelivery.status == RECEIVED,
                    WebhookDelivery.attempts == 0,
                    WebhookDelivery.received_at < waiting_since,
                ),
                and_(
                    WebhookDelivery.status == PROCESSING,
                    WebhookDelivery.received_at < stale_before,
                ),
            )
        )
        .order_by(WebhookDelivery.received_at)
        .limit(limit)
    )
    return list(rows)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def registry_for(session: AsyncSession, names: set[str], tables: set[str]) -> Registry:
    """The registered contracts named in a pull request or describing one of its tables."""
    keys = {table_key(t) for t in tables if t}
    conditions: list[ColumnElement[bool]] = []
    if names:
        conditions.append(Contract.name.in_(names))
    if keys:
        lowered = func.lower(Contract.table_name)
        conditions.append(lowered.in_(keys))
        conditions.append(and_(Contract.table_name.is_(None), func.lower(Contract.name).in_(keys)))
        conditions += [lowered.like(f"%.{_like_escape(k)}", escape="\\") for k in keys]
    if not conditions:
        return Registry()
    rows = await session.execute(
        select(Contract.id, Contract.name, Contract.document).where(or_(*conditions))
    )
    registry = Registry()
    for row in rows:
        name = str(row.name)
        try:
            contract = ContractDefinition.model_validate(row.document)
        except ValidationError:
            continue  # a stored document that no longer validates is not judged against
        if name in names or any(same_table(contract.effective_table, t) for t in tables):
            registry.contracts[name] = contract
            registry.ids[name] = str(row.id)
    return registry


async def record_proposal_checks(
    session: AsyncSession,
    contract_ids: list[uuid.UUID],
    repository: str,
    number: int,
    delivery_id: str,
) -> None:
    """This pull request's check (``delivery_id``) showed these contracts' proposals."""
    now = utcnow()
    for contract_id in contract_ids:
        statement = insert(ProposalCheck).values(
            id=uuid.uuid4(),
            contract_id=contract_id,
            repository=repository,
            number=number,
            delivery_id=delivery_id,
            updated_at=now,
        )
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[
                    ProposalCheck.contract_id,
                    ProposalCheck.repository,
                    ProposalCheck.number,
                ],
                set_={"delivery_id": statement.excluded.delivery_id, "updated_at": now},
            )
        )


async def forget_proposal_checks(session: AsyncSession, repository: str, number: int) -> None:
    """A pull request closed: no answer checks it again (reopened, its check records it)."""
    await session.execute(
        delete(ProposalCheck).where(
            ProposalCheck.repository == repository, ProposalCheck.number == number
        )
    )


async def proposal_checks(session: AsyncSession, contract_id: uuid.UUID) -> list[ProposalCheck]:
    rows = await session.scalars(
        select(ProposalCheck).where(ProposalCheck.contract_id == contract_id)
    )
    return list(rows)
