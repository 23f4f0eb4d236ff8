"""GET /schema on real PostgreSQL: enums, domains, arrays, tsvector, bytea, generated columns,
partitioned tables (keys read from the partitions) and views, as the monitor needs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
async def schema(agent_client: Any, shop_url: str, shop_contracts: Path) -> dict[str, Any]:
    async with agent_client(database_url=shop_url, contracts=shop_contracts) as client:
        response = await client.get("/schema")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert (body["protocol"], body["engine"]) == (2, "postgresql")
    return body


def _columns(schema: dict[str, Any], table: str) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in schema["tables"][table]["columns"]}


def test_enums_and_domains_report_their_base_type(schema: dict[str, Any]) -> None:
    film = _columns(schema, "film")
    assert (film["rating"]["type"], film["rating"]["base_type"]) == ("mpaa_rating", "enum")
    assert film["rating"]["enum_values"] == ["G", "PG", "PG-13", "R", "NC-17"]
    assert (film["release_year"]["type"], film["release_year"]["base_type"]) == (
        "year",
        "integer",
    )


def test_arrays_full_text_binary_and_generated_columns(schema: dict[str, Any]) -> None:
    film = _columns(schema, "film")
    assert film["special_features"]["base_type"] == "text[]"
    assert film["fulltext"]["base_type"] == "tsvector"
    assert film["poster"]["base_type"] == "bytea"
    assert film["price_with_tax"]["generated"] == "(price * 1.2)"
    assert film["price_with_tax"]["default"].startswith("GENERATED ALWAYS AS")


def test_partitioned_tables_get_the_keys_every_partition_declares(
    schema: dict[str, Any],
) -> None:
    payment = schema["tables"]["payment"]
    assert payment["kind"] == "partitioned table"
    assert payment["primary_key"] == ["id", "paid_on"]
    assert payment["foreign_keys"] == [{"columns": ["customer_id"], "references": "customer.id"}]
    rental = schema["tables"]["rental"]
    assert rental["primary_key"] == ["id", "rented_on"]  # declared on each partition only
    assert rental["foreign_keys"] == []  # one partition lacks it: not the table's
    assert schema["tables"]["rental_old"]["partition_of"] == "rental"


def test_views_are_listed(schema: dict[str, Any]) -> None:
    view = schema["tables"]["active_customer"]
    assert view["kind"] == "view"
    assert [c["name"] for c in view["columns"]] == ["id", "email"]


def test_the_monitor_type_check_passes_every_shop_contract(
    schema: dict[str, Any], shop_contracts: Path
) -> None:
    from compliance_monitor.checks.schema_validator import check_schema
    from datapact_common.checks import CheckStatus
    from datapact_common.documents import load_contracts

    contracts = load_contracts(shop_contracts.read_text(encoding="utf-8"))
    tables = {c.name: c.effective_table for c in contracts}
    for contract in contracts:
        result = check_schema(contract, schema, tables)
        type_problems = [
            p
            for entry in result.details.get("fields", {}).values()
            for p in entry["problems"]
            if p["problem"] == "type_mismatch"
        ]
        assert type_problems == [], (contract.name, type_problems)
        assert result.status is not CheckStatus.ERROR
