"""contract.yaml: valid DataPact contracts that match the live schema, and seeded data
that meets their SLAs."""

from __future__ import annotations

import re
from typing import Any

from data_service.dataset.seeding import seed_shop
from datapact_common.contract_schema import ContractDefinition, DataType, MetricType
from datapact_common.documents import load_contracts
from datapact_common.thresholds import Duration, Percentage

# PostgreSQL types (as /schema reports them, parameters stripped) each contract type accepts.
COMPATIBLE = {
    DataType.INTEGER: {"SMALLINT", "INTEGER", "BIGINT"},
    DataType.STRING: {"VARCHAR", "CHAR", "TEXT"},
    DataType.DECIMAL: {"NUMERIC"},
    DataType.BOOLEAN: {"BOOLEAN"},
    DataType.TIMESTAMP: {"TIMESTAMP WITH TIME ZONE"},
    DataType.UUID: {"UUID"},
}


def shipped(shipped_contracts: Any) -> list[ContractDefinition]:
    from datapact_common.yaml_io import dump_yaml_documents

    return load_contracts(dump_yaml_documents(shipped_contracts()))


def test_contract_file_validates_and_covers_every_table(shipped_contracts: Any) -> None:
    contracts = shipped(shipped_contracts)
    assert [c.name for c in contracts] == [
        "shop_customers",
        "shop_products",
        "shop_orders",
        "shop_order_items",
    ]
    assert {c.effective_table for c in contracts} == {
        "customers",
        "products",
        "orders",
        "order_items",
    }
    for contract in contracts:
        assert contract.access is not None
        assert contract.access.endpoint_url == "http://127.0.0.1:8003"
        kinds = {q.metric_type for q in contract.quality}
        assert kinds == {
            MetricType.FRESHNESS,
            MetricType.COMPLETENESS,
            MetricType.UNIQUENESS,
            MetricType.AVAILABILITY,
        }
        assert contract.subscribers, contract.name
    customers = contracts[0]
    assert {f.name for f in customers.schema_fields if f.is_pii} == {"email", "full_name", "phone"}


async def test_every_contract_field_exists_with_a_compatible_type(
    client: Any, shipped_contracts: Any
) -> None:
    tables = (await client.get("/schema")).json()["tables"]
    contracts = shipped(shipped_contracts)
    by_name = {c.name: c for c in contracts}
    for contract in contracts:
        live = {c["name"]: c for c in tables[contract.effective_table]["columns"]}
        for field in contract.schema_fields:
            column = live.get(field.name)
            assert column is not None, f"{contract.name}.{field.name} missing"
            base = re.sub(r"\(.*\)", "", column["type"]).strip()
            assert base in COMPATIBLE[field.data_type], (contract.name, field.name, column["type"])
            assert column["nullable"] == field.nullable, (contract.name, field.name)
            assert column["primary_key"] == field.is_primary_key, (contract.name, field.name)
            if field.unique:
                assert [field.name] in tables[contract.effective_table]["unique"]
            if field.foreign_key_reference:
                target_contract, target_field = field.foreign_key_reference.split(".")
                target = by_name[target_contract]
                expected = {
                    "columns": [field.name],
                    "references": f"{target.effective_table}.{target_field}",
                }
                assert expected in tables[contract.effective_table]["foreign_keys"]
        # Every live column is documented (no undocumented columns to warn about).
        assert set(live) == set(contract.field_names), contract.name


async def test_seeded_data_meets_every_sla(
    database: str, client: Any, connect: Any, shipped_contracts: Any
) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession

    async with connect(database) as engine, AsyncSession(engine) as session, session.begin():
        await seed_shop(session, rows=300, seed=7)
    datasets = (await client.get("/metrics")).json()["datasets"]
    for contract in shipped(shipped_contracts):
        measured = datasets[contract.name]
        assert measured["errors"] == []
        assert measured["row_count"] > 0
        freshness = contract.quality_metric(MetricType.FRESHNESS)
        assert freshness is not None
        limit = freshness.parsed_threshold()
        assert isinstance(limit, Duration)
        assert measured["freshness"]["seconds_since_update"] <= limit.seconds, contract.name
        completeness = contract.quality_metric(MetricType.COMPLETENESS)
        assert completeness is not None
        share = completeness.parsed_threshold()
        assert isinstance(share, Percentage)
        for field in contract.schema_fields:
            ratio = measured["completeness"][field.name]["ratio"]
            assert ratio >= (1.0 if not field.nullable else share.fraction), (
                contract.name,
                field.name,
            )
        for name, figures in measured["uniqueness"].items():
            assert figures["duplicates"] == 0, (contract.name, name)
            assert figures["ratio"] == 1.0
