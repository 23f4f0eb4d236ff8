"""Every query on watchers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from datapact_common.exceptions import ConflictError
from notification_service.watchers.models import Watcher, WatcherStatus


async def list_watchers(
    session: AsyncSession,
    *,
    target: str | None,
    contract_name: str | None,
    team: str | None,
    status: WatcherStatus | None,
    skip: int,
    limit: int,
) -> tuple[Sequence[Watcher], int]:
    conditions = []
    if status is not None:
        conditions.append(Watcher.status == status.value)
    if target is not None:
        conditions.append(Watcher.target == target)
    if contract_name is not None:
        conditions.append(Watcher.contract_name == contract_name)
    if team is not None:
        conditions.append(Watcher.team == team)
    total = await session.scalar(select(func.count()).select_from(Watcher).where(*conditions))
    rows = await session.scalars(
        select(Watcher)
        .where(*conditions)
        .order_by(Watcher.created_at, Watcher.id)
        .offset(skip)
        .limit(limit)
    )
    return rows.all(), int(total or 0)


async def get(session: AsyncSession, watcher_id: uuid.UUID) -> Watcher | None:
    return await session.get(Watcher, watcher_id)


async def find_same(
    session: AsyncSession, channel: str, target: str, contract_name: str | None, team: str | None
) -> Watcher | None:
    return await session.scalar(
        select(Watcher).where(
            Watcher.channel == channel,
            Watcher.target == target,
            Watcher.contract_name.is_not_distinct_from(contract_name),
            Watcher.team.is_not_distinct_from(team),
        )
    )


async def add(session: AsyncSession, watcher: Watcher) -> Watcher:
    session.add(watcher)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent identical request won the race
        raise ConflictError(f"{watcher.target} already watches this scope") from exc
    await session.refresh(watcher)
    return watcher


async def pending_for(session: AsyncSession, target: str) -> Sequence[Watcher]:
    rows = await session.scalars(
        select(Watcher)
        .where(Watcher.target == target, Watcher.status == WatcherStatus.PENDING)
        .order_by(Watcher.created_at, Watcher.id)
        .limit(100)
    )
    return rows.all()


async def delete(session: AsyncSession, watcher: Watcher) -> None:
    await session.delete(watcher)
    await session.flush()


def candidates_for_batch(
    session: Session, *, contract_names: set[str], teams: set[str]
) -> Sequence[Watcher]:
    """Active watchers whose scope may match one of the events (the resolver decides each).
    Pending ones hear nothing: their address has not agreed."""
    scope = [and_(Watcher.contract_name.is_(None), Watcher.team.is_(None))]
    if contract_names:
        scope.append(Watcher.contract_name.in_(sorted(contract_names)))
    if teams:
        scope.append(Watcher.team.in_(sorted(teams)))
    return session.scalars(
        select(Watcher).where(Watcher.status == WatcherStatus.ACTIVE, or_(*scope))
    ).all()
