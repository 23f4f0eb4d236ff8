"""ODCS quality rules, computed for real on PostgreSQL, DuckDB and MariaDB: the library
metrics inside the table's one aggregate scan, each sql rule as its own statement; each
reported as a check with its number (rows or percent) and its verdict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
import yaml

from datapact_testing import mariadb
from datapact_testing.postgres import create_database, drop_database, sync_dsn
from datapact_testing.postgres import test_database_name as database_name

ROWS = [
    (1, "AB-1", 5, "a"),
    (2, "AB-2", 5, ""),
    (3, None, -1, "N/A"),
    (4, "zz", 7, "a"),
    (5, "AB-5", 7, "a"),
]
DDL = "CREATE TABLE items (id integer PRIMARY KEY, code varchar(20), qty integer, tag varchar(8))"
CONTRACT = {
    "name": "items",
    "version": "1.0.0",
    "publisher": {"team": "t", "owner": "o"},
    "schema": [
        {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
        {"name": "code", "data_type": "string", "quality_rules": [
            {"metric": "nullValues", "mustBe": 0},
            {"metric": "nullValues", "mustBeLessOrEqualTo": 20, "unit": "percent"},
            {"metric": "invalidValues", "mustBe": 0,
             "arguments": {"pattern": "^[A-Z]{2}-[0-9]+$"}},
        ]},
        {"name": "qty", "data_type": "integer", "quality_rules": [
            {"metric": "duplicateValues", "mustBe": 0},
            {"type": "sql", "mustBe": 0,
             "query": "SELECT COUNT(*) FROM ${object} WHERE ${property} < 0"},
        ]},
        {"name": "tag", "data_type": "string", "quality_rules": [
            {"metric": "missingValues", "mustBeLessThan": 2,
             "arguments": {"missingValues": [None, "", "N/A"]}},
            {"metric": "invalidValues", "mustBeLessOrEqualTo": 40, "unit": "percent",
             "arguments": {"validValues": ["a", "b"]}},
        ]},
    ],
    "quality_rules": [
        {"metric": "rowCount", "mustBeBetween": [1, 10]},
        {"metric": "rowCount", "mustBeGreaterThan": 100},
        {"metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": ["qty", "tag"]}},
        {"type": "sql", "mustBeLessOrEqualTo": 10, "query": "SELECT MAX(qty) FROM ${object}"},
    ],
}  # fmt: skip
# id -> (measured, passed)
EXPECTED = {
    "code:quality:0": (1, False),
    "code:quality:1": (20, True),
    "code:quality:2": (1, False),
    "qty:quality:0": (2, False),
    "qty:quality:1": (1, False),
    "tag:quality:0": (2, False),
    "tag:quality:1": (40, True),
    "(table):quality:0": (5, True),
    "(table):quality:1": (5, False),
    "(table):quality:2": (1, False),
    "(table):quality:3": (7, True),
}


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    name = database_name("test_agent_quality")
    create_database(name)
    with psycopg.connect(sync_dsn(name), autocommit=True) as conn:
        conn.execute(DDL)
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO items VALUES (%s, %s, %s, %s)", ROWS)
    yield sync_dsn(name)
    drop_database(name)


@pytest.fixture(scope="module")
def mariadb_url() -> Iterator[str]:
    url = mariadb.create_database("test_agent_quality")
    database = url.rsplit("/", 1)[1]
    connection = mariadb.connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(DDL)
            cursor.executemany("INSERT INTO items VALUES (%s, %s, %s, %s)", ROWS)
        connection.commit()
    finally:
        connection.close()
    yield url
    mariadb.drop_database(database)


@pytest.fixture
def duckdb_url(tmp_path: Path) -> str:
    path = tmp_path / "items.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(DDL)
        connection.executemany("INSERT INTO items VALUES (?, ?, ?, ?)", ROWS)
    return f"duckdb://{path}"


@pytest.fixture
def contracts(tmp_path: Path) -> Path:
    path = tmp_path / "items.yaml"
    path.write_text(yaml.safe_dump(CONTRACT), encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["postgres", "duckdb", "mariadb"])
async def test_every_quality_rule_is_measured_and_judged(
    engine: str, request: pytest.FixtureRequest, agent_client: Any, contracts: Path
) -> None:
    url = request.getfixturevalue(f"{engine}_url")
    async with agent_client(database_url=url, contracts=contracts) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    dataset = response.json()["datasets"]["items"]
    assert dataset["errors"] == []
    checks = {c["id"]: c for c in dataset["checks"] if c["rule"] == "quality"}
    measured = {key: (c["measured"], c["passed"]) for key, c in checks.items()}
    assert measured == EXPECTED, [c for c in checks.values() if c["error"]]
    assert all(c["violations"] is None and c["samples"] is None for c in checks.values())
    assert checks["(table):quality:2"]["fields"] == ["qty", "tag"]
    assert checks["tag:quality:1"]["found"] == "40% (2 of 5 rows)"
    # the library rules are in the one aggregate scan; each sql rule is one statement more
    # (plus one statement sampling the rows of the value rules that break: none here)
    assert dataset["queries"] == 3


async def test_a_failing_sql_rule_is_an_error_not_a_pass(
    agent_client: Any, postgres_url: str, tmp_path: Path
) -> None:
    contract = {**CONTRACT, "schema": CONTRACT["schema"][:1], "quality_rules": [
        {"type": "sql", "mustBe": 0, "query": "SELECT COUNT(*) FROM no_such_table"},
        {"type": "sql", "mustBe": 0, "query": "SELECT MAX(qty) FROM ${object} WHERE id < 0"},
    ]}  # fmt: skip
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(contract), encoding="utf-8")
    async with agent_client(database_url=postgres_url, contracts=path) as client:
        dataset = (await client.get("/metrics")).json()["datasets"]["items"]
    missing, empty = [c for c in dataset["checks"] if c["rule"] == "quality"]
    assert missing["passed"] is None and "no_such_table" in missing["error"]
    assert empty["passed"] is None and empty["error"] == "the query returned no number"


async def test_a_sql_rule_slower_than_the_timeout_reports_timed_out(
    agent_client: Any, postgres_url: str, tmp_path: Path
) -> None:
    joined = ", ".join(f"${{object}} AS t{n}" for n in range(12))  # 5^12 rows
    total = " + ".join(f"t{n}.qty" for n in range(12))  # known only once all are joined
    slow = f"SELECT COUNT(*) FROM {joined} WHERE {total} < -100"
    contract = {**CONTRACT, "schema": CONTRACT["schema"][:1],
                "quality_rules": [{"type": "sql", "mustBe": 0, "query": slow}]}  # fmt: skip
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(contract), encoding="utf-8")
    async with agent_client(
        database_url=postgres_url, contracts=path, query_timeout_seconds=0.3
    ) as client:
        dataset = (await client.get("/metrics")).json()["datasets"]["items"]
    [rule] = [c for c in dataset["checks"] if c["rule"] == "quality"]
    assert (rule["passed"], rule["error"]) == (None, "timed out")
