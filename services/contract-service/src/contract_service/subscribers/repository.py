"""Subscriber queries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.subscribers.models import SubscriberRecord
from datapact_common.contract_schema import Subscriber


async def list_for_contract(
    session: AsyncSession, contract_id: uuid.UUID
) -> list[SubscriberRecord]:
    rows = await session.scalars(
        select(SubscriberRecord)
        .where(SubscriberRecord.contract_id == contract_id)
        .order_by(SubscriberRecord.subscribed_at, SubscriberRecord.team)
    )
    return list(rows)


async def get(session: AsyncSession, contract_id: uuid.UUID, team: str) -> SubscriberRecord | None:
    return await session.scalar(
        select(SubscriberRecord).where(
            SubscriberRecord.contract_id == contract_id, SubscriberRecord.team == team
        )
    )


async def replace_all(
    session: AsyncSession,
    contract_id: uuid.UUID,
    subscribers: list[Subscriber],
    now: datetime,
    *,
    new: bool = False,
) -> None:
    """Make the rows match a document's subscriber list, keeping join dates of those who stay
    (``new``: the contract was just inserted and has no rows yet)."""
    if new and not subscribers:
        return
    existing = {} if new else {s.team: s for s in await list_for_contract(session, contract_id)}
    wanted = {s.team for s in subscribers}
    gone = [team for team in existing if team not in wanted]
    if gone:
        await session.execute(
            delete(SubscriberRecord).where(
                SubscriberRecord.contract_id == contract_id, SubscriberRecord.team.in_(gone)
            )
        )
    new_rows = []
    for sub in subscribers:
        row = existing.get(sub.team)
        if row is None:
            new_rows.append(
                {
                    "id": uuid.uuid4(),
                    "contract_id": contract_id,
                    "team": sub.team,
                    "use_case": sub.use_case,
                    "fields_used": list(sub.fields_used),
                    "contact_email": sub.contact_email,
                    "subscribed_at": now,
                    "updated_at": now,
                }
            )
        elif _differs(row, sub):
            row.use_case = sub.use_case
            row.fields_used = list(sub.fields_used)
            row.contact_email = sub.contact_email
            row.updated_at = now
    if new_rows:
        await session.execute(insert(SubscriberRecord), new_rows)


def _differs(row: SubscriberRecord, sub: Subscriber) -> bool:
    return (row.use_case, list(row.fields_used), row.contact_email) != (
        sub.use_case,
        list(sub.fields_used),
        sub.contact_email,
    )
