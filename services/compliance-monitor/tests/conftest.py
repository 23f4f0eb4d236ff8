"""Fixtures of the compliance-monitor tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract


def contract_document(**overrides: Any) -> dict[str, Any]:
    """A customers contract like the template data service publishes."""
    document: dict[str, Any] = {
        "name": "customers",
        "version": "1.0.0",
        "publisher": {"team": "sales", "owner": "sales-data"},
        "schema": [
            {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
            {"name": "email", "data_type": "string", "nullable": False, "unique": True},
            {"name": "name", "data_type": "string", "nullable": True},
            {"name": "score", "data_type": "integer", "nullable": True},
            {"name": "updated_at", "data_type": "timestamp", "nullable": False},
        ],
        "quality": [{"metric_type": "freshness", "threshold": "15 minutes"}],
        "access": {"endpoint_url": "http://127.0.0.1:8003"},
    }
    document.update(overrides)
    return document


@pytest.fixture
def make_contract() -> Callable[..., ContractDefinition]:
    def build(**overrides: Any) -> ContractDefinition:
        return parse_contract(contract_document(**overrides))

    return build


def schema_document(columns: list[dict[str, Any]] | None = None, **table: Any) -> dict[str, Any]:
    """A ``/schema`` document with one ``customers`` table."""
    columns = columns or [
        {"name": "id", "type": "UUID", "nullable": False, "default": None, "primary_key": True},
        {"name": "email", "type": "VARCHAR(255)", "nullable": False, "primary_key": False},
        {"name": "name", "type": "VARCHAR(120)", "nullable": True, "primary_key": False},
        {"name": "score", "type": "INTEGER", "nullable": True, "primary_key": False},
        {"name": "updated_at", "type": "TIMESTAMP WITH TIME ZONE", "nullable": False},
    ]
    body = {"columns": columns, "primary_key": ["id"], "foreign_keys": [], "unique": [["email"]]}
    body.update(table)
    return {"service": "test", "tables": {"customers": body}}


@pytest.fixture
def make_schema() -> Callable[..., dict[str, Any]]:
    return schema_document
