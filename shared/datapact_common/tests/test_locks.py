"""Advisory locks by name against real PostgreSQL: held while the block runs (or until the
transaction ends), free again afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from datapact_common.db import make_engine, make_sessionmaker
from datapact_common.locks import advisory_lock, advisory_xact_lock, advisory_xact_locks
from datapact_testing import postgres as pg

KEY = "test lock"


@pytest.fixture
async def engine() -> AsyncIterator[AsyncEngine]:
    engine = make_engine(pg.async_url("postgres"), pool_size=3, max_overflow=0)
    yield engine
    await engine.dispose()


async def _free(engine: AsyncEngine) -> bool:
    """Whether another connection may take the lock now (and give it back at once)."""
    async with engine.connect() as connection:
        taken = await connection.scalar(
            text("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))"), {"key": KEY}
        )
        if taken:
            await connection.execute(
                text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))"), {"key": KEY}
            )
        return bool(taken)


async def test_advisory_lock_is_held_while_the_block_runs(engine: AsyncEngine) -> None:
    async with advisory_lock(engine, KEY):
        assert not await _free(engine)
    assert await _free(engine)


async def test_advisory_lock_is_released_when_the_block_fails(engine: AsyncEngine) -> None:
    with pytest.raises(RuntimeError):
        async with advisory_lock(engine, KEY):
            raise RuntimeError("boom")
    assert await _free(engine)


async def test_advisory_xact_lock_lasts_until_the_transaction_ends(engine: AsyncEngine) -> None:
    async with make_sessionmaker(engine)() as session:
        await advisory_xact_lock(session, KEY)
        assert not await _free(engine)
        await session.commit()
    assert await _free(engine)


def test_advisory_xact_locks_take_every_key_until_the_transaction_ends() -> None:
    engine = create_engine(
        pg.sync_dsn("postgres").replace("postgresql://", "postgresql+psycopg://", 1)
    )
    try:
        with Session(engine) as session, engine.connect() as other:

            def free(key: str) -> bool:
                taken = other.scalar(
                    text("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))"), {"key": key}
                )
                if taken:
                    other.execute(
                        text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))"), {"key": key}
                    )
                return bool(taken)

            advisory_xact_locks(session, ["b@example.com", "a@example.com", "b@example.com"])
            assert not free("a@example.com") and not free("b@example.com")
            assert free("c@example.com")
            session.commit()
            assert free("a@example.com") and free("b@example.com")
            advisory_xact_locks(session, [])  # nothing to lock: no statement
    finally:
        engine.dispose()
