"""Pages share a catalogue read for AGENT_PAGE_CATALOGUE_SECONDS; past it, a page is answered
from the last read while the next is made in the background (at 10,000 tables a read took
14-20 s, and every page of a sweep waited for it); past STALE_READS times it, a page waits
for a new read."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from datapact_agent.agent import STALE_READS
from datapact_testing.postgres import sync_dsn

CONTRACT = """\
name: items
version: 1.0.0
table: item
publisher: {team: shop, owner: ann}
schema:
  - {name: id, data_type: integer, nullable: false, is_primary_key: true}
"""
TTL = 2.0


@pytest.fixture
def items_database(scratch_database: Callable[..., str]) -> str:
    return scratch_database(
        "test_agent_page_catalogue", "CREATE TABLE item (id bigint PRIMARY KEY)"
    )


def create_table(database: str, table: str) -> None:
    with psycopg.connect(sync_dsn(database), autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {table} (id bigint PRIMARY KEY)")


async def page(client: Any, table: str) -> set[str]:
    response = await client.get("/schema", params={"tables": table})
    assert response.status_code == 200, response.text
    return set(response.json()["tables"])


async def test_a_stale_read_answers_while_the_next_is_made(
    agent_client: Any, items_database: str, tmp_path: Path
) -> None:
    contracts = tmp_path / "items.yaml"
    contracts.write_text(CONTRACT)
    async with agent_client(
        database_url=sync_dsn(items_database),
        contracts=contracts,
        page_catalogue_seconds=TTL,
    ) as client:
        agent = client._transport.app.state.agent
        assert await page(client, "item") == {"item"}
        first_read = agent._cache
        create_table(items_database, "box")
        assert await page(client, "box") == set()  # within the TTL: the same read
        await asyncio.sleep(TTL + 0.1)

        assert await page(client, "box") == set()  # past it: the last read, at once
        assert agent._refresh is not None
        await agent._refresh  # ... while the next read is made
        assert agent._cache is not first_read
        assert await page(client, "box") == {"box"}

        await (await client.get("/metrics", params={"contracts": "items"})).aread()
        plans, live = agent._plans[2], agent._plans[1]
        assert live is agent._cache[2]
        agent._cache = (agent._cache[0] - TTL, *agent._cache[1:])  # due again
        await page(client, "item")
        await agent._refresh
        await (await client.get("/metrics", params={"contracts": "items"})).aread()
        # the same tables read again: the plans stand, and now hold the newest read
        assert agent._plans[2] is plans and agent._plans[1] is agent._cache[2]

        create_table(items_database, "crate")
        agent._cache = (agent._cache[0] - TTL * STALE_READS, *agent._cache[1:])
        assert await page(client, "crate") == {"crate"}  # too old to answer from: read now
