"""Shared fixtures: a rich valid contract document and the vendored ODCS files."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.yaml_io import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"

_ORDERS: dict[str, Any] = {
    "name": "orders",
    "version": "1.2.0",
    "description": "Orders placed in the web shop",
    "status": "active",
    "table": "shop_orders",
    "publisher": {
        "team": "checkout",
        "owner": "alice",
        "repository_url": "https://git.example.com/checkout/orders",
        "contact_email": "checkout@example.com",
    },
    "schema": [
        {
            "name": "order_id",
            "data_type": "uuid",
            "description": "Order identifier",
            "nullable": False,
            "is_primary_key": True,
        },
        {
            "name": "customer_id",
            "data_type": "integer",
            "description": "Who ordered",
            "nullable": False,
            "is_foreign_key": True,
            "foreign_key_reference": "customers.customer_id",
        },
        {
            "name": "email",
            "data_type": "string",
            "description": "Contact address",
            "is_pii": True,
            "constraints": [
                {"type": "regex", "value": r"^[^@]+@[^@]+$", "message": "must be an address"},
                {"type": "max_length", "value": 255},
            ],
        },
        {
            "name": "amount",
            "data_type": "decimal",
            "nullable": False,
            "example_value": 12.5,
            "constraints": [{"type": "min", "value": 0}, {"type": "max", "value": 10000}],
        },
        {
            "name": "state",
            "data_type": "string",
            "nullable": False,
            "constraints": [{"type": "enum", "value": ["new", "paid", "shipped"]}],
        },
        {"name": "created_at", "data_type": "timestamp", "nullable": False},
    ],
    "quality": [
        {
            "metric_type": "freshness",
            "threshold": "15 minutes",
            "measurement_method": "max(created_at)",
        },
        {"metric_type": "completeness", "threshold": "99.5%"},
    ],
    "access": {
        "endpoint_url": "https://data.example.com/orders",
        "methods": ["GET"],
        "auth_type": "oauth2",
        "required_scopes": ["orders:read"],
        "rate_limit": "100/minute",
    },
    "subscribers": [
        {"team": "finance", "use_case": "revenue", "fields_used": ["order_id", "amount"]},
        {"team": "marketing", "fields_used": ["email"], "contact_email": "mk@example.com"},
        {"team": "analytics", "fields_used": []},
    ],
    "tags": ["sales", "core"],
    "metadata": {"domain": "commerce", "tier": 1},
}


@pytest.fixture
def orders_doc() -> dict[str, Any]:
    """A fresh, fully populated contract document (mutate freely)."""
    return copy.deepcopy(_ORDERS)


@pytest.fixture
def orders(orders_doc: dict[str, Any]) -> ContractDefinition:
    return parse_contract(orders_doc)


@pytest.fixture
def evolve(orders_doc: dict[str, Any]) -> Callable[..., ContractDefinition]:
    """Build a changed copy of the orders contract: ``evolve(change_fn, version="1.3.0")``."""

    def build(
        change: Callable[[dict[str, Any]], None] | None = None, *, version: str = "2.0.0"
    ) -> ContractDefinition:
        doc = copy.deepcopy(orders_doc)
        if change is not None:
            change(doc)
        doc["version"] = version
        return parse_contract(doc)

    return build


@pytest.fixture
def odcs_fixture() -> Callable[[str], Any]:
    """Load a vendored ODCS file by name (dates stay strings)."""

    def load(name: str) -> Any:
        return load_yaml((FIXTURES / "odcs" / name).read_text(encoding="utf-8"))

    return load


def field_of(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in doc["schema"] if f["name"] == name)


@pytest.fixture
def field() -> Callable[[dict[str, Any], str], dict[str, Any]]:
    """``field(doc, "email")`` -> that field's dict inside a document."""
    return field_of
