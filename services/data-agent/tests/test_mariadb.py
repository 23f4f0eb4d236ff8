"""MariaDB for real (Debian's mariadb-server; MySQL 8 speaks the same through PyMySQL): the
shop with its planted violations, its catalogue, and the statement timeout."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from datapact_testing import mariadb

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mariadb_url() -> Iterator[str]:
    url = mariadb.create_database("test_agent_shop", FIXTURES / "mariadb_shop.sql")
    yield url
    mariadb.drop_database(url.rsplit("/", 1)[1])


async def _get(agent_client: Any, path: str, **settings: Any) -> dict[str, Any]:
    async with agent_client(**settings) as client:
        response = await client.get(path)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_mariadb_reports_every_planted_violation(
    agent_client: Any,
    mariadb_url: str,
    shop_contracts: Path,
    check_planted: Callable[..., None],
) -> None:
    metrics = await _get(
        agent_client, "/metrics", database_url=mariadb_url, contracts=shop_contracts
    )
    # MariaDB's BOOLEAN is tinyint(1): the shop's integer 0/1 column reads as a boolean; it
    # has no arrays (the shop's text[] is a longtext there) nor tsvector
    mismatches = frozenset(
        {
            ("customers", "active:type"),
            ("films", "special_features:type"),
            ("films", "fulltext:type"),
        }
    )
    check_planted(metrics, mismatches)
    customers = metrics["datasets"]["customers"]
    assert customers["freshness"]["seconds_since_update"] < 3600  # TIMESTAMP read as UTC
    assert metrics["datasets"]["clean_items"]["queries"] == 2


async def test_a_pattern_is_case_sensitive_whatever_the_collation(
    agent_client: Any, mariadb_url: str, tmp_path: Path
) -> None:
    contracts = tmp_path / "coded.yaml"
    contracts.write_text(
        "name: coded\nversion: 1.0.0\npublisher: {team: t, owner: o}\nschema:\n"
        "  - {name: code, data_type: string, nullable: false, is_primary_key: true,\n"
        "     constraints: [{type: regex, value: '^[A-Z]{2}-[0-9]+$'}]}\n",
        encoding="utf-8",
    )
    metrics = await _get(agent_client, "/metrics", database_url=mariadb_url, contracts=contracts)
    regex = {c["id"]: c for c in metrics["datasets"]["coded"]["checks"]}["code:regex"]
    assert (regex["violations"], regex["samples"]) == (1, [{"code": "ab-2"}])


async def test_mariadb_schema_reports_types_keys_and_enums(
    agent_client: Any, mariadb_url: str, shop_contracts: Path
) -> None:
    schema = await _get(agent_client, "/schema", database_url=mariadb_url, contracts=shop_contracts)
    assert schema["engine"] == "mysql"
    film = {c["name"]: c for c in schema["tables"]["film"]["columns"]}
    assert film["rating"]["base_type"] == "enum"
    assert film["rating"]["enum_values"] == ["G", "PG", "PG-13", "R", "NC-17"]
    assert film["poster"]["base_type"] == "bytea"
    assert film["price"]["base_type"] == "numeric(5, 2)"
    assert film["price_with_tax"]["generated"] is not None
    customer = {c["name"]: c for c in schema["tables"]["customer"]["columns"]}
    assert customer["updated_at"]["base_type"] == "timestamp with time zone"
    assert customer["active"]["base_type"] == "boolean"
    payment = schema["tables"]["payment"]
    assert payment["primary_key"] == ["id", "paid_on"]
    assert payment["foreign_keys"] == [{"columns": ["customer_id"], "references": "customer.id"}]
    assert schema["tables"]["clean_item"]["unique"] == [["label"]]
    assert schema["tables"]["active_customer"]["kind"] == "view"


async def test_a_mariadb_scan_longer_than_the_timeout_reports_timed_out(
    agent_client: Any, mariadb_url: str, tmp_path: Path
) -> None:
    contracts = tmp_path / "slow.yaml"
    contracts.write_text(
        "name: slow\nversion: 1.0.0\ntable: slow_view\npublisher: {team: t, owner: o}\n"
        "schema: [{name: id, data_type: integer, nullable: false}]\n",
        encoding="utf-8",
    )
    database = mariadb_url.rsplit("/", 1)[1]
    with mariadb.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE VIEW slow_view AS SELECT a.seq * b.seq AS id "
            "FROM seq_1_to_100000 a, seq_1_to_100000 b"
        )
    metrics = await _get(
        agent_client,
        "/metrics",
        database_url=mariadb_url,
        contracts=contracts,
        query_timeout_seconds=0.5,
    )
    dataset = metrics["datasets"]["slow"]
    assert dataset["errors"] == ["metrics query on table 'slow_view' failed: timed out"]


async def test_an_unreachable_mariadb_is_an_error_per_contract(
    agent_client: Any, shop_contracts: Path
) -> None:
    metrics = await _get(
        agent_client,
        "/metrics",
        database_url="mysql://root@127.0.0.1:1/nowhere",
        contracts=shop_contracts,
    )
    for dataset in metrics["datasets"].values():
        assert dataset["errors"][0].startswith("database unavailable: ")
        assert all(c["violations"] is None and c["error"] for c in dataset["checks"])
