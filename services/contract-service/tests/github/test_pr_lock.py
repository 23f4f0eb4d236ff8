"""The pull-request lock is datapact_common's advisory lock on the PR's key, taken on the
task's engine: held while the check runs, free again afterwards (real PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contract_service.database import task_sessionmaker
from contract_service.github.tasks import pull_request_lock

KEY = "github-pr:acme/shop#7"


async def _free(sessionmaker: async_sessionmaker[AsyncSession], key: str) -> bool:
    """Whether another connection may take the lock now (and give it back at once)."""
    async with sessionmaker() as session:
        taken = await session.scalar(
            text("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))"), {"key": key}
        )
        if taken:
            await session.execute(
                text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))"), {"key": key}
            )
        return bool(taken)


async def test_the_lock_of_a_pull_request_is_held_while_its_check_runs(database: str) -> None:
    async with task_sessionmaker() as sessionmaker:
        async with pull_request_lock(sessionmaker, KEY):
            assert not await _free(sessionmaker, KEY)
            assert await _free(sessionmaker, "github-pr:acme/shop#8")  # another PR is free
        assert await _free(sessionmaker, KEY)
