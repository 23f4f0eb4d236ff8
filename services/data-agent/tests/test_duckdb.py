"""DuckDB for real: a .duckdb file, a folder of Parquet files and a CSV file, each holding the
shop with its planted violations."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = ["customer", "film", "payment", "rental", "clean_item"]


@pytest.fixture(scope="session")
def duckdb_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("duck") / "shop.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute((FIXTURES / "duckdb_shop.sql").read_text(encoding="utf-8"))
    return path


@pytest.fixture(scope="session")
def parquet_folder(duckdb_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Parquet file per table (payment split over a sub-folder of two files)."""
    folder = tmp_path_factory.mktemp("parquet")
    (folder / "payment").mkdir()
    with duckdb.connect(str(duckdb_file), read_only=True) as connection:
        for table in TABLES:
            if table == "payment":
                for part, year in enumerate((2024, 2025)):
                    target = folder / "payment" / f"part-{part}.parquet"
                    connection.execute(
                        f"COPY (SELECT * FROM payment WHERE year(paid_on) = {year}) "
                        f"TO '{target}' (FORMAT parquet)"
                    )
            else:
                connection.execute(f"COPY {table} TO '{folder / table}.parquet' (FORMAT parquet)")
    (folder / "notes.txt").write_text("not a dataset", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def csv_folder(duckdb_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("csv")
    with duckdb.connect(str(duckdb_file), read_only=True) as connection:
        for table in TABLES:
            columns = "* EXCLUDE (special_features, poster)" if table == "film" else "*"
            connection.execute(
                f"COPY (SELECT {columns} FROM {table}) TO '{folder / table}.csv' (HEADER)"
            )
    return folder


async def _get(agent_client: Any, url: str, contracts: Path, path: str) -> dict[str, Any]:
    async with agent_client(database_url=url, contracts=contracts) as client:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_duckdb_file_reports_every_planted_violation(
    agent_client: Any,
    duckdb_file: Path,
    shop_contracts: Path,
    check_planted: Callable[..., None],
) -> None:
    metrics = await _get(agent_client, f"duckdb://{duckdb_file}", shop_contracts, "/metrics")
    check_planted(metrics, frozenset({("films", "fulltext:type")}))  # DuckDB has no tsvector
    assert metrics["datasets"]["clean_items"]["queries"] == 2  # one scan, one anti-join


async def test_parquet_files_report_every_planted_violation(
    agent_client: Any,
    parquet_folder: Path,
    shop_contracts: Path,
    check_planted: Callable[..., None],
) -> None:
    metrics = await _get(agent_client, f"duckdb://{parquet_folder}", shop_contracts, "/metrics")
    check_planted(metrics, frozenset({("films", "fulltext:type")}))  # DuckDB has no tsvector
    assert metrics["datasets"]["payments"]["row_count"] == 2  # the two files of the sub-folder


async def test_csv_files_report_every_planted_violation(
    agent_client: Any,
    csv_folder: Path,
    shop_contracts: Path,
    tmp_path: Path,
) -> None:
    metrics = await _get(agent_client, f"duckdb://{csv_folder}", shop_contracts, "/metrics")
    films = {c["id"]: c for c in metrics["datasets"]["films"]["checks"]}
    assert films["price:min"]["violations"] == 1
    assert films["price:expression:0"]["violations"] == 1
    customers = {c["id"]: c for c in metrics["datasets"]["customers"]["checks"]}
    assert customers["email:regex"]["samples"] == [{"id": 5}]
    assert customers["active:enum"]["violations"] == 1
    single = await _get(
        agent_client, f"duckdb://{csv_folder / 'customer.csv'}", shop_contracts, "/schema"
    )
    assert set(single["tables"]) == {"customer"}


async def test_duckdb_schema_reports_types_keys_and_enums(
    agent_client: Any, duckdb_file: Path, parquet_folder: Path, shop_contracts: Path
) -> None:
    schema = await _get(agent_client, f"duckdb://{duckdb_file}", shop_contracts, "/schema")
    assert schema["engine"] == "duckdb"
    film = {c["name"]: c for c in schema["tables"]["film"]["columns"]}
    assert film["rating"]["base_type"] == "enum"
    assert film["rating"]["enum_values"] == ["G", "PG", "PG-13", "R", "NC-17"]
    assert film["poster"]["base_type"] == "bytea"
    assert film["special_features"]["base_type"] == "text[]"
    assert film["price"]["base_type"] == "numeric(5, 2)"
    payment = schema["tables"]["payment"]
    assert payment["primary_key"] == ["id", "paid_on"]
    assert payment["foreign_keys"] == [{"columns": ["customer_id"], "references": "customer.id"}]
    files = await _get(agent_client, f"duckdb://{parquet_folder}", shop_contracts, "/schema")
    assert set(files["tables"]) == set(TABLES)
    assert files["tables"]["film"]["kind"] == "file"


async def test_a_missing_path_is_an_error_per_contract(
    agent_client: Any, tmp_path: Path, shop_contracts: Path
) -> None:
    metrics = await _get(
        agent_client, f"duckdb://{tmp_path / 'gone.duckdb'}", shop_contracts, "/metrics"
    )
    for dataset in metrics["datasets"].values():
        assert dataset["errors"][0].startswith("database unavailable: cannot open")
        assert all(c["violations"] is None for c in dataset["checks"])


async def test_a_duckdb_scan_longer_than_the_timeout_is_interrupted(
    agent_client: Any, tmp_path: Path
) -> None:
    path = tmp_path / "big.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE VIEW big AS SELECT a.range * 100000 + b.range AS id "
            "FROM range(100000) a, range(100000) b"
        )
    contracts = tmp_path / "big.yaml"
    contracts.write_text(
        "name: big\nversion: 1.0.0\npublisher: {team: t, owner: o}\n"
        "schema: [{name: id, data_type: integer, nullable: false, unique: true}]\n",
        encoding="utf-8",
    )
    async with agent_client(
        database_url=f"duckdb://{path}", contracts=contracts, query_timeout_seconds=0.5
    ) as client:
        dataset = (await client.get("/metrics")).json()["datasets"]["big"]
    assert dataset["errors"] == ["metrics query on table 'big' failed: timed out"]
    counted = [c for c in dataset["checks"] if c["rule"] not in ("present", "type")]
    assert {c["error"] for c in counted} == {"timed out"}


async def test_the_monitor_checks_parquet_tables_by_their_types_only(
    agent_client: Any, parquet_folder: Path, shop_contracts: Path
) -> None:
    from compliance_monitor.checks.schema_validator import check_schema
    from datapact_common.documents import load_contracts

    schema = await _get(agent_client, f"duckdb://{parquet_folder}", shop_contracts, "/schema")
    contracts = load_contracts(await asyncio.to_thread(shop_contracts.read_text, "utf-8"))
    tables = {c.name: c.effective_table for c in contracts}
    problems = {
        (contract.name, field, problem["problem"])
        for contract in contracts
        for field, entry in check_schema(contract, schema, tables).details["fields"].items()
        for problem in entry["problems"]
        if problem["severity"] == "error"
    }
    # Files declare no NOT NULL and no keys (the agent counts those on the data); the one
    # error left is real: DuckDB has no tsvector, the Parquet column is text.
    assert problems == {("films", "fulltext", "type_mismatch")}
