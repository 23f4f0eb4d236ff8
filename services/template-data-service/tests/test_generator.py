"""The generator keeps every table fresh; it is off under ENVIRONMENT=test unless asked."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from data_service.config import Settings
from data_service.dataset.seeding import seed_shop
from data_service.generator import Generator, run_step
from datapact_testing.polling import eventually_async

TABLES = ("customers", "products", "orders", "order_items")


async def latest(engine: Any) -> dict[str, datetime | None]:
    async with engine.connect() as conn:
        return {
            t: (await conn.execute(text(f"SELECT max(updated_at) FROM {t}"))).scalar_one()
            for t in TABLES
        }


async def counts(engine: Any) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES
        }


async def test_step_advances_updated_at_of_every_table(database: str, connect: Any) -> None:
    async with connect(database) as engine:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with sessions() as session, session.begin():
            await seed_shop(session, rows=50, seed=1)
        await engine.dispose()
        async with engine.begin() as conn:  # make everything old first
            for table in TABLES:
                await conn.execute(
                    text(f"UPDATE {table} SET updated_at = now() - interval '2 days'")
                )
        before, rows_before = await latest(engine), await counts(engine)

        written = await run_step(sessions, random.Random(3), batch_size=4)

        after, rows_after = await latest(engine), await counts(engine)
    for table in TABLES:
        assert after[table] is not None and before[table] is not None
        assert after[table] > before[table], table
        assert written[table] >= 1, table
    assert rows_after["orders"] == rows_before["orders"] + 4
    assert rows_after["customers"] == rows_before["customers"] + 1
    assert rows_after["order_items"] > rows_before["order_items"]
    async with connect(database) as engine, engine.connect() as conn:
        # New orders' totals are the sum of their lines.
        mismatched = await conn.execute(
            text(
                "SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id "
                "GROUP BY o.id, o.total_amount "
                "HAVING o.total_amount <> sum(i.quantity * i.unit_price)"
            )
        )
        assert mismatched.all() == []


async def test_step_on_an_empty_database_creates_what_it_needs(database: str, connect: Any) -> None:
    async with connect(database) as engine:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        written = await run_step(sessions, random.Random(5), batch_size=2)
        assert written["products"] == 2
        rows = await counts(engine)
        assert rows["customers"] == 1
        assert rows["orders"] == 1  # for the one customer the step created
        assert rows["order_items"] >= 1


async def test_loop_runs_steps_until_stopped(database: str, connect: Any) -> None:
    async with connect(database) as engine:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        generator = Generator(sessions, interval_seconds=0.05, batch_size=1)
        generator.start()
        await eventually_async(lambda: generator.steps_done >= 2, "two generator steps")
        await generator.stop()
        assert generator.steps_done >= 2
        assert (await counts(engine))["orders"] >= 2


async def test_app_starts_generator_only_when_enabled(
    database: str, make_settings: Any, make_client: Any
) -> None:
    assert Settings(environment="test").generator_active is False
    assert Settings(environment="development").generator_active is True
    assert Settings(environment="test", generator_enabled=True).generator_active is True

    from data_service.main import create_app

    quiet = create_app(make_settings(database))
    async with quiet.router.lifespan_context(quiet):
        assert quiet.state.generator is None
    busy = create_app(
        make_settings(database, generator_enabled=True, generator_interval_seconds=60)
    )
    async with busy.router.lifespan_context(busy):
        generator = busy.state.generator
        assert isinstance(generator, Generator)
        # the first step runs at startup
        await eventually_async(lambda: generator.steps_done, "the first generator step")
        assert generator.steps_done == 1
