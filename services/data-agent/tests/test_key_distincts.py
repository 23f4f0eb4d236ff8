"""A distinct count a primary key declared on the measured table implies is counted without
the DISTINCT (PostgreSQL): the same numbers as ``COUNT(DISTINCT ...)``, duplicates and NULLs
included. A partitioned table (its key may be declared per partition) and a table others
inherit from (its scan reads their rows) keep the DISTINCT."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from datapact_testing.postgres import sync_dsn

PUBLISHER = {"team": "t", "owner": "o"}


def duplicates(*columns: str) -> dict[str, Any]:
    return {"metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": list(columns)}}


def contract(name: str, table: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": name,
        "version": "1.0.0",
        "table": table,
        "publisher": PUBLISHER,
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "email", "data_type": "string", "unique": True},
            {"name": "team", "data_type": "string"},
        ],
        "quality_rules": rules,
    }


# Each dataset-level rule: the columns of its distinct count.
KEYS = [("id", "email"), ("email", "team"), ("id", "email", "team"), ("team", "id")]
TABLES = {"people": "person", "events": "event", "parents": "parent_row"}
ROWS = (
    "(1, 'a@x', 'red'), (2, 'a@x', NULL), (3, NULL, 'red'), (4, NULL, NULL), "
    "(5, 'b@x', 'red'), (6, 'b@x', 'red'), (7, 'c@x', 'blue'), (8, NULL, 'blue')"
)


@pytest.fixture
def keyed_database(scratch_database: Callable[..., str]) -> str:
    return scratch_database(
        "test_agent_key_distincts",
        "CREATE TABLE person (id bigint PRIMARY KEY, email text, team text)",
        f"INSERT INTO person VALUES {ROWS}",
        # The key is declared on each partition only: ids repeat across partitions.
        "CREATE TABLE event (id bigint NOT NULL, email text, team text) PARTITION BY LIST (team)",
        "CREATE TABLE event_red PARTITION OF event (PRIMARY KEY (id)) FOR VALUES IN ('red')",
        "CREATE TABLE event_other PARTITION OF event (PRIMARY KEY (id)) DEFAULT",
        f"INSERT INTO event VALUES {ROWS}",
        "INSERT INTO event SELECT id, email, CASE WHEN team = 'red' THEN 'blue' ELSE 'red' END"
        " FROM event WHERE team IS NOT NULL",
        # Its scan reads the rows of the table inheriting from it, whose ids repeat its own.
        "CREATE TABLE parent_row (id bigint PRIMARY KEY, email text, team text)",
        "CREATE TABLE child_row () INHERITS (parent_row)",
        f"INSERT INTO parent_row VALUES {ROWS}",
        f"INSERT INTO child_row VALUES {ROWS}",
    )


def expected(database: str, table: str) -> dict[str, int]:
    """Each check's count, from COUNT(DISTINCT ...) as written here."""
    with psycopg.connect(sync_dsn(database)) as conn:

        def one(query: str) -> int:
            row = conn.execute(query.encode()).fetchone()
            assert row is not None
            return int(row[0])

        counts = {
            f"{c}:unique": one(f"SELECT COUNT({c}) - COUNT(DISTINCT {c}) FROM {table}")
            for c in ("id", "email")
        }
        for index, key in enumerate(KEYS):
            present = " AND ".join(f"{c} IS NOT NULL" for c in key)
            counts[f"(table):quality:{index}"] = one(
                f"SELECT COUNT(*) - COUNT(DISTINCT ({', '.join(key)})) FILTER (WHERE {present})"
                f" FROM {table}"
            )
    return counts


async def test_key_implied_distinct_counts_are_the_distinct_counts(
    agent_client: Any, keyed_database: str, tmp_path: Path
) -> None:
    path = tmp_path / "keyed.yaml"
    rules = [duplicates(*key) for key in KEYS]
    path.write_text(
        yaml.safe_dump_all([contract(name, table, rules) for name, table in TABLES.items()])
    )
    async with agent_client(database_url=sync_dsn(keyed_database), contracts=path) as client:
        response = await client.get("/metrics")
        assert response.status_code == 200, response.text
        plans = client._transport.app.state.agent._plans[2]
        scans = {table: plans[table].rendered_scan[1] for table in TABLES.values()}
    datasets = response.json()["datasets"]
    for name, table in TABLES.items():
        assert datasets[name]["errors"] == []
        checks = {c["id"]: c for c in datasets[name]["checks"]}
        reported = {
            check: checks[check]["measured" if check.startswith("(") else "violations"]
            for check in expected(keyed_database, table)
        }
        assert reported == expected(keyed_database, table), name
    # The data has duplicates and NULLs where the rules look (the numbers are not all 0).
    assert expected(keyed_database, "person") == {
        "id:unique": 0,
        "email:unique": 2,
        "(table):quality:0": 3,  # rows with a NULL email are not counted as distinct pairs
        "(table):quality:1": 5,
        "(table):quality:2": 4,
        "(table):quality:3": 2,
    }
    assert expected(keyed_database, "event")["id:unique"] == 6
    assert expected(keyed_database, "parent_row")["id:unique"] == 8
    # The plain table's key answers 4 of its 6 distinct counts: only email's and
    # (email, team)'s keep the DISTINCT; the others keep all 6.
    assert scans["person"].count("DISTINCT") == 2
    assert 'COUNT(DISTINCT "id")' not in scans["person"]
    assert 'COUNT(DISTINCT "email")' in scans["person"]
    assert scans["event"].count("DISTINCT") == 6
    assert scans["parent_row"].count("DISTINCT") == 6
