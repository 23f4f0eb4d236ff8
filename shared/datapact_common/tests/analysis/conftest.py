"""Helpers of the analysis tests: a pull request's files in, the verdict out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from datapact_common.analysis.pr_delta import ChangedFile, contract_delta, schema_delta
from datapact_common.analysis.verdict import Registry, Unchecked, Verdict, judge
from datapact_common.contract_schema import ContractDefinition

FIXTURES = Path(__file__).parent / "fixtures"


def registered(*documents: dict[str, Any]) -> Registry:
    contracts = [ContractDefinition.model_validate(d) for d in documents]
    return Registry(contracts={c.name: c for c in contracts})


def verdict_of(
    files: list[ChangedFile],
    registry: Registry | None = None,
    unchecked: Unchecked = Unchecked.NEUTRAL,
) -> Verdict:
    schema = schema_delta(files)
    return judge(schema, contract_delta([]), registry or Registry(), unchecked=unchecked)


@pytest.fixture
def pg_dump() -> str:
    return (FIXTURES / "shop_pg_dump.sql").read_text()


def orders_contract(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": "shop_orders",
        "version": "1.0.0",
        "publisher": {"team": "checkout", "owner": "alice"},
        "table": "shop.orders",
        "schema": [
            {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
            {"name": "customer_id", "data_type": "integer", "nullable": False},
            {
                "name": "status",
                "data_type": "enum",
                "nullable": False,
                "constraints": [{"type": "enum", "value": ["placed", "paid", "shipped"]}],
            },
            {"name": "net_amount", "data_type": "decimal", "nullable": False},
            {"name": "gross_amount", "data_type": "decimal"},
            {"name": "placed_at", "data_type": "timestamp", "nullable": False},
        ],
        "subscribers": [{"team": "finance", "fields_used": ["gross_amount", "net_amount"]}],
    }
    document.update(changes)
    return document


def customers_contract() -> dict[str, Any]:
    return {
        "name": "shop_customers",
        "version": "1.0.0",
        "publisher": {"team": "crm", "owner": "bob"},
        "table": "shop.customers",
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "email", "data_type": "string", "nullable": False, "unique": True},
            {"name": "full_name", "data_type": "string"},
        ],
        "subscribers": [{"team": "marketing", "fields_used": ["email"]}],
    }


class Kit:
    """What the tests use, handed out as one fixture (conftest modules are not importable)."""

    registered = staticmethod(registered)
    verdict_of = staticmethod(verdict_of)
    orders_contract = staticmethod(orders_contract)
    customers_contract = staticmethod(customers_contract)


@pytest.fixture
def kit() -> Kit:
    return Kit()
