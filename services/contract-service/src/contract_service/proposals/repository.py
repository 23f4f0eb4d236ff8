"""The proposal queries, in one place."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.proposals.models import ChangeProposal, ProposalAnswer, ProposalStatus


async def get(session: AsyncSession, proposal_id: uuid.UUID) -> ChangeProposal | None:
    return await session.get(ChangeProposal, proposal_id)


async def lock(session: AsyncSession, proposal_id: uuid.UUID) -> ChangeProposal | None:
    """The proposal with a row lock (SELECT ... FOR UPDATE), fresh from the database: answers,
    withdrawals and publishes of one proposal happen one after the other."""
    return await session.scalar(
        select(ChangeProposal)
        .where(ChangeProposal.id == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def lock_open(session: AsyncSession, contract_id: uuid.UUID) -> ChangeProposal | None:
    """The contract's open proposal, locked (at most one is open)."""
    return await session.scalar(
        select(ChangeProposal)
        .where(
            ChangeProposal.contract_id == contract_id,
            ChangeProposal.status == ProposalStatus.OPEN.value,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def for_contract(
    session: AsyncSession, contract_id: uuid.UUID, status: ProposalStatus | None = None
) -> Sequence[ChangeProposal]:
    query = select(ChangeProposal).where(ChangeProposal.contract_id == contract_id)
    if status is not None:
        query = query.where(ChangeProposal.status == status.value)
    result = await session.scalars(
        query.order_by(ChangeProposal.created_at.desc(), ChangeProposal.id)
    )
    return result.all()


async def open_proposed_by(session: AsyncSession, proposed_by: str) -> Sequence[ChangeProposal]:
    """The open proposals ``proposed_by`` made (a pull request's, across contracts)."""
    result = await session.scalars(
        select(ChangeProposal)
        .where(
            ChangeProposal.proposed_by == proposed_by,
            ChangeProposal.status == ProposalStatus.OPEN.value,
        )
        .order_by(ChangeProposal.created_at, ChangeProposal.id)
    )
    return result.all()


async def listing(
    session: AsyncSession, status: ProposalStatus | None, team: str | None, limit: int
) -> Sequence[ChangeProposal]:
    """Proposals across contracts, newest first; ``team``: those it is asked to answer."""
    query = select(ChangeProposal)
    if status is not None:
        query = query.where(ChangeProposal.status == status.value)
    if team is not None:
        query = query.where(ChangeProposal.affected_teams.contains([team]))
    result = await session.scalars(
        query.order_by(ChangeProposal.created_at.desc(), ChangeProposal.id).limit(limit)
    )
    return result.all()


async def answers(
    session: AsyncSession, proposal_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[ProposalAnswer]]:
    """Every answer of each proposal, oldest first."""
    if not proposal_ids:
        return {}
    rows = await session.scalars(
        select(ProposalAnswer)
        .where(ProposalAnswer.proposal_id.in_(proposal_ids))
        .order_by(ProposalAnswer.answered_at, ProposalAnswer.id)
    )
    by_proposal: dict[uuid.UUID, list[ProposalAnswer]] = {pid: [] for pid in proposal_ids}
    for row in rows:
        by_proposal[row.proposal_id].append(row)
    return by_proposal


async def mark_stale(
    session: AsyncSession, contract_id: uuid.UUID, current_version: str, now: datetime
) -> None:
    """Open proposals of a contract that moved to ``current_version`` from their base."""
    await session.execute(
        update(ChangeProposal)
        .where(
            ChangeProposal.contract_id == contract_id,
            ChangeProposal.status == ProposalStatus.OPEN.value,
            ChangeProposal.base_version != current_version,
        )
        .values(status=ProposalStatus.STALE.value, closed_at=now, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )


async def lock_unseen_notices(session: AsyncSession) -> Sequence[ChangeProposal]:
    """Open proposals under a policy whose notice period's end the sweep has not seen yet
    (locked, skipping those a concurrent sweep holds)."""
    result = await session.scalars(
        select(ChangeProposal)
        .where(
            ChangeProposal.status == ProposalStatus.OPEN.value,
            ChangeProposal.policy.is_not(None),
            ChangeProposal.notice_seen_at.is_(None),
        )
        .with_for_update(skip_locked=True)
    )
    return result.all()
