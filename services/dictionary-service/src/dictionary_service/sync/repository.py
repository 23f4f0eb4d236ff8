"""Queries on the sync-state row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from dictionary_service.sync.models import SYNC_STATE_ID, SyncState


async def get_state(session: AsyncSession, *, for_update: bool = False) -> SyncState:
    """The sync-state row, created on first use."""
    await session.execute(
        insert(SyncState).values(id=SYNC_STATE_ID).on_conflict_do_nothing(index_elements=["id"])
    )
    query = select(SyncState).where(SyncState.id == SYNC_STATE_ID)
    if for_update:
        query = query.with_for_update()
    state = (await session.execute(query)).scalar_one()
    await session.refresh(state)
    return state


async def read_state(session: AsyncSession) -> SyncState | None:
    """The row without creating it (for read-only requests)."""
    return await session.get(SyncState, SYNC_STATE_ID)
