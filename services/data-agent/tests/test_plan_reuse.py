"""The agent plans its tables again only when the contracts or the live tables change: a
schema change between two requests is seen by the next one, planned anew."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from datapact_testing.postgres import sync_dsn

CONTRACT = """\
name: items
version: 1.0.0
table: item
publisher: {team: shop, owner: ann}
schema:
  - {name: id, data_type: integer, nullable: false, is_primary_key: true}
  - {name: qty, data_type: integer, constraints: [{type: min, value: 0}]}
  - {name: label, data_type: string, constraints: [{type: max_length, value: 5}]}
"""


@pytest.fixture
def items_database(scratch_database: Callable[..., str]) -> str:
    return scratch_database(
        "test_agent_plan_reuse",
        "CREATE TABLE item (id bigint PRIMARY KEY, qty integer, label text)",
        "INSERT INTO item VALUES (1, 3, 'ab'), (2, -1, 'abcdefg')",
    )


def checks(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in body["datasets"]["items"]["checks"]}


async def test_plans_are_kept_until_the_table_changes(
    agent_client: Any, items_database: str, tmp_path: Path
) -> None:
    contracts = tmp_path / "items.yaml"
    contracts.write_text(CONTRACT)
    async with agent_client(database_url=sync_dsn(items_database), contracts=contracts) as client:
        agent = client._transport.app.state.agent
        first = (await client.get("/metrics")).json()
        plans = agent._plans[2]
        with psycopg.connect(sync_dsn(items_database), autocommit=True) as conn:
            conn.execute("INSERT INTO item VALUES (3, -5, 'abcdefgh')")
        scan = plans["item"].rendered_scan
        second = (await client.get("/metrics")).json()
        assert agent._plans[2] is plans  # same contracts, same tables: planned once
        assert scan is not None and plans["item"].rendered_scan is scan  # rendered once
        assert checks(first)["qty:min"]["violations"] == 1
        assert checks(second)["qty:min"]["violations"] == 2  # the data is read every time
        assert checks(second)["label:max_length"]["violations"] == 2

        with psycopg.connect(sync_dsn(items_database), autocommit=True) as conn:
            conn.execute("ALTER TABLE item DROP COLUMN label")
        third = (await client.get("/metrics")).json()
        assert agent._plans[2] is not plans
        label = checks(third)["label:max_length"]
        assert label["passed"] is None and "does not exist" in label["error"]
        assert checks(third)["qty:min"]["violations"] == 2


async def test_the_warm_up_plans_every_table_before_the_first_request(
    agent_client: Any, items_database: str, tmp_path: Path
) -> None:
    contracts = tmp_path / "items.yaml"
    contracts.write_text(CONTRACT)
    async with agent_client(database_url=sync_dsn(items_database), contracts=contracts) as client:
        app = client._transport.app
        agent = app.state.agent
        assert not agent.settings.warmup_active  # ENVIRONMENT=test: off unless asked for
        await agent.warm(app.state.contracts)
        plans = agent._plans[2]
        assert set(plans) == {"item"} and plans["item"].rendered_scan is not None
        scan = plans["item"].rendered_scan
        body = (await client.get("/metrics")).json()
        assert agent._plans[2] is plans and plans["item"].rendered_scan is scan
        assert checks(body)["qty:min"]["violations"] == 1


async def test_the_warm_up_waits_while_a_request_is_measured(
    agent_client: Any, items_database: str, tmp_path: Path
) -> None:
    """A page of the first sweep must not share the CPU with the warm-up (its pages timed
    out at the monitor): the warm-up plans only once no request is being measured."""
    contracts = tmp_path / "items.yaml"
    contracts.write_text(CONTRACT)
    async with agent_client(database_url=sync_dsn(items_database), contracts=contracts) as client:
        app = client._transport.app
        agent = app.state.agent
        with psycopg.connect(sync_dsn(items_database)) as blocker:
            blocker.execute("LOCK TABLE item IN ACCESS EXCLUSIVE MODE")  # the scan waits
            request = asyncio.ensure_future(client.get("/metrics"))
            await wait_for_blocked_scan(items_database)
            warming = asyncio.ensure_future(agent.warm(app.state.contracts))
            await asyncio.sleep(1.0)
            assert not warming.done()  # a request is being measured: the warm-up waits
            blocker.rollback()
        body = (await request).json()
        await asyncio.wait_for(warming, 30)
        assert checks(body)["qty:min"]["violations"] == 1
        assert agent._plans[2]["item"].rendered_scan is not None


async def wait_for_blocked_scan(database: str) -> None:
    for _ in range(300):
        if blocked_scans(database):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the agent's scan never waited for the lock")


async def test_a_page_asked_for_again_meanwhile_shares_its_measurement(
    agent_client: Any, items_database: str, tmp_path: Path
) -> None:
    """The monitor retries a page it timed out on; the first measurement still runs, and
    the retry joins it instead of scanning the same tables beside it."""
    contracts = tmp_path / "items.yaml"
    contracts.write_text(CONTRACT)
    async with agent_client(database_url=sync_dsn(items_database), contracts=contracts) as client:
        with psycopg.connect(sync_dsn(items_database)) as blocker:
            blocker.execute("LOCK TABLE item IN ACCESS EXCLUSIVE MODE")
            page = {"contracts": "items"}
            first = asyncio.ensure_future(client.get("/metrics", params=page))
            await wait_for_blocked_scan(items_database)
            retry = asyncio.ensure_future(client.get("/metrics", params=page))
            await asyncio.sleep(0.5)
            assert blocked_scans(items_database) == 1
            blocker.rollback()
        answers = [(await first).json(), (await retry).json()]
        assert answers[0]["generated_at"] == answers[1]["generated_at"]
        assert checks(answers[1])["qty:min"]["violations"] == 1


def blocked_scans(database: str) -> int:
    with psycopg.connect(sync_dsn(database), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [database],
        ).fetchone()
    return int(row[0]) if row else 0


async def test_kept_plans_are_frozen_and_let_go_when_replaced(
    agent_client: Any, items_database: str, tmp_path: Path
) -> None:
    """Plans are kept out of the collector's passes (frozen); plans replaced (the table
    changed) are given back to it, or their sqlglot trees, cyclic, would never be freed."""
    contracts = tmp_path / "items.yaml"
    contracts.write_text(CONTRACT)
    try:
        async with agent_client(
            database_url=sync_dsn(items_database), contracts=contracts
        ) as client:
            agent = client._transport.app.state.agent
            gc.unfreeze()
            await client.get("/metrics")
            assert gc.get_freeze_count() > 0
            [condition] = [
                rule.condition
                for rule in agent._plans[2]["item"].datasets[0].rules
                if rule.id == "qty:min"
            ]
            assert condition is not None and condition.this.parent is condition  # a cycle
            old_tree = weakref.ref(condition)
            del condition
            with psycopg.connect(sync_dsn(items_database), autocommit=True) as conn:
                conn.execute("ALTER TABLE item DROP COLUMN label")
            await client.get("/metrics")  # planned anew
            gc.collect()
            assert old_tree() is None
            assert gc.get_freeze_count() > 0  # the new plans, frozen in turn
    finally:
        gc.unfreeze()
