"""The seed command fills a few thousand realistic rows and is idempotent."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data_service.dataset.seeding import seed_shop
from datapact_testing.postgres import async_url


async def test_seed_twice_adds_nothing_the_second_time(database: str, connect: Any) -> None:
    async with connect(database) as engine:
        sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        async with sessions() as session, session.begin():
            first = await seed_shop(session, rows=120, seed=11)
        async with sessions() as session, session.begin():
            second = await seed_shop(session, rows=120, seed=11)
    assert first.inserted == first.totals
    assert first.totals["customers"] == 24
    assert first.totals["products"] == 5
    assert first.totals["orders"] == 120
    assert 120 <= first.totals["order_items"] <= 4 * 120
    assert set(second.inserted.values()) == {0}
    assert second.totals == first.totals


async def test_seeded_rows_are_consistent(database: str, connect: Any) -> None:
    async with connect(database) as engine:
        async with AsyncSession(engine) as session, session.begin():
            await seed_shop(session, rows=200, seed=3)
        async with engine.connect() as conn:
            mismatched = await conn.execute(
                text(
                    "SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id "
                    "GROUP BY o.id, o.total_amount "
                    "HAVING o.total_amount <> sum(i.quantity * i.unit_price)"
                )
            )
            assert mismatched.all() == []
            statuses = dict((await conn.execute(
                text("SELECT status, count(*) FROM orders GROUP BY status")
            )).all())  # fmt: skip
            assert statuses.get("delivered", 0) > statuses.get("pending", 0)
            ordered = await conn.execute(
                text("SELECT max(placed_at) >= now() - interval '1 minute' FROM orders")
            )
            assert ordered.scalar_one() is True


def test_seed_command_line(database: str) -> None:
    command = [
        sys.executable, "-m", "data_service.seed",
        "--rows", "40", "--seed", "5", "--database-url", async_url(database),
    ]  # fmt: skip
    first = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    again = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    assert first["inserted"]["orders"] == 40
    assert again["inserted"] == {"products": 0, "customers": 0, "orders": 0, "order_items": 0}
    assert again["totals"] == first["totals"]
    refused = subprocess.run([*command[:3], "--rows", "0"], capture_output=True, text=True)
    assert refused.returncode == 2
    assert "--rows must be at least 1" in refused.stderr
