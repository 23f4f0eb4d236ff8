"""`POST /api/v1/contracts` writes a contract in one statement (`contracts.repository.CREATE_SQL`,
docs/performance.md "Creates"); `ContractService.create` (ODCS imports, the GitHub sync) writes
it through the session. Both must write the same rows, and the route must answer as before."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any
from unittest import mock

import httpx
import orjson
import pytest

from contract_service.contracts.service import ContractService
from contract_service.database import task_session
from datapact_common.odcs import from_odcs
from datapact_testing.postgres import truncate_all

# Columns that differ between two writes of the same document by nature.
_VOLATILE = {"id", "contract_id", "created_at", "updated_at", "subscribed_at"}
_TABLES = {
    "contracts": "name",
    "contract_versions": "version",
    "contract_fields": "position",
    "quality_metrics": "metric_type",
    "access_configs": "endpoint_url",
    "subscribers": "team",
}


def _rich() -> dict[str, Any]:
    return {
        "name": "rows_pinned",
        "version": "1.2.3",
        "description": "Every part a contract has",
        "status": "active",
        "table": "analytics.rows_pinned",
        "publisher": {
            "team": "commerce",
            "owner": "alice",
            "repository_url": "https://github.com/example/rows",
            "contact_email": "alice@example.com",
        },
        "schema": [
            {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True,
             "unique": True, "description": "row id"},
            {"name": "email", "data_type": "string", "is_pii": True, "example_value": "a@b.c",
             "constraints": [
                 {"type": "regex", "value": "^[^@]+@[^@]+$", "message": "an address"},
                 {"type": "max_length", "value": 320},
             ]},
            {"name": "score", "data_type": "float", "example_value": 0.25,
             "constraints": [{"type": "min", "value": 0}, {"type": "max", "value": 1.5}]},
            {"name": "parent_id", "data_type": "integer", "is_foreign_key": True,
             "foreign_key_reference": "other_contract.id"},
            {"name": "attrs", "data_type": "json",
             "example_value": {"nested": [1, "two", None], "é": "ü"}},
            {"name": "flag", "data_type": "boolean", "example_value": False},
        ],
        "quality": [
            {"metric_type": "freshness", "threshold": "1h", "measurement_method": "max(ts)"},
            {"metric_type": "completeness", "threshold": "99.5%", "alert_on_breach": False},
            {"metric_type": "volume", "threshold": "1000..50000"},
        ],
        "access": {
            "endpoint_url": "https://data.example.com/rows",
            "methods": ["GET", "POST"],
            "auth_type": "oauth2",
            "required_scopes": ["read:rows"],
            "rate_limit": "1000 req/min",
        },
        "subscribers": [
            {"team": "analytics", "use_case": "reports", "fields_used": ["id", "score"],
             "contact_email": "bi@example.com"},
            {"team": "marketing"},
        ],
        "tags": ["finance", "gold"],
        "metadata": {"created": "2024-01-01", "layers": {"bronze": False, "n": 3}},
    }  # fmt: skip


def _minimal() -> dict[str, Any]:
    return {
        "name": "rows_minimal",
        "version": "0.1.0",
        "publisher": {"team": "commerce", "owner": "bob"},
        "schema": [{"name": "id", "data_type": "integer"}],
    }


def _from_odcs() -> dict[str, Any]:
    document = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "5b6f9a52-2d0c-4c59-9d4e-0b1a6e1f0002",
        "name": "shop",
        "version": "1.0.0",
        "status": "active",
        "team": {"name": "commerce", "members": [{"username": "alice", "role": "owner"}]},
        "schema": [
            {
                "name": "orders",
                "physicalName": "orders",
                "properties": [
                    {"name": "id", "logicalType": "integer", "primaryKey": True},
                    {"name": "note", "logicalType": "string"},
                ],
            }
        ],
    }
    return from_odcs(document)[0].to_document()


def _rows(sql: Callable[..., list[tuple[Any, ...]]]) -> dict[str, list[dict[str, Any]]]:
    rows = {}
    for table, order in _TABLES.items():
        found = sql(f"SELECT to_jsonb(t) FROM {table} t ORDER BY {order}")
        rows[table] = [
            {key: value for key, value in row[0].items() if key not in _VOLATILE} for row in found
        ]
    return rows


@pytest.mark.parametrize(
    "document", [_rich(), _minimal(), _from_odcs()], ids=["rich", "min", "odcs"]
)
async def test_the_route_writes_the_rows_the_session_path_writes(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    sql: Callable[..., list[tuple[Any, ...]]],
    clean_db: str,
    document: dict[str, Any],
) -> None:
    response = await client.post("/api/v1/contracts", json=document, headers=commerce)
    assert response.status_code == 201, response.text
    written = _rows(sql)
    body = response.json()
    (stored,) = sql("SELECT id, created_at, document_json FROM contracts")
    assert body["id"] == str(stored[0]) and response.headers["Location"].endswith(body["id"])
    assert orjson.loads(stored[2]) == {
        k: v for k, v in body.items() if k not in {"id", "created_at", "updated_at", "compliance"}
    }
    # every part written, each with the contract's id and created_at
    for table in _TABLES:
        if table == "contracts":
            continue
        column = "subscribed_at" if table == "subscribers" else "created_at"
        for contract_id, at in sql(f"SELECT contract_id, {column} FROM {table}"):
            assert (contract_id, at) == (stored[0], stored[1])

    truncate_all(clean_db)
    async with task_session() as session:
        await ContractService.create(session, copy.deepcopy(document), "alice")  # the token's
    again = _rows(sql)
    for table in _TABLES:
        assert again[table] == written[table], table
    assert written["contract_fields"] and written["contract_versions"]


async def test_the_body_is_the_stored_document(
    client: httpx.AsyncClient, commerce: dict[str, str], clean_db: str
) -> None:
    response = await client.post("/api/v1/contracts", json=_rich(), headers=commerce)
    assert response.status_code == 201
    fetched = await client.get(response.headers["Location"])
    assert fetched.content == response.content
    assert fetched.headers["ETag"] == response.headers["ETag"]


async def test_a_name_taken_is_409_and_writes_nothing(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    other_team: dict[str, str],
    sql: Callable[..., list[tuple[Any, ...]]],
) -> None:
    first = await client.post("/api/v1/contracts", json=_rich(), headers=commerce)
    assert first.status_code == 201
    before = _rows(sql)
    again = _rich()
    again["schema"].append({"name": "extra", "data_type": "string"})
    with mock.patch("contract_service.contracts.service.nudge_dictionary") as nudge:
        refused = await client.post("/api/v1/contracts", json=again, headers=commerce)
    assert refused.status_code == 409, refused.text
    assert refused.json()["contract_id"] == first.json()["id"]
    assert refused.json()["detail"] == "a contract named 'rows_pinned' already exists"
    assert _rows(sql) == before
    nudge.assert_not_called()
    # a team that may not write the publisher's contracts: 403 before the name check
    forbidden = await client.post("/api/v1/contracts", json=again, headers=other_team)
    assert forbidden.status_code == 403


async def test_an_odcs_identity_taken_is_409(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Callable[..., list[tuple[Any, ...]]]
) -> None:
    first = await client.post("/api/v1/contracts", json=_from_odcs(), headers=commerce)
    assert first.status_code == 201, first.text
    other = _from_odcs()
    other["name"] = "another_name"
    refused = await client.post("/api/v1/contracts", json=other, headers=commerce)
    assert refused.status_code == 409, refused.text
    taken = first.json()["name"]
    assert refused.json()["detail"] == (
        "schema object 'orders' of ODCS document 5b6f9a52-2d0c-4c59-9d4e-0b1a6e1f0002 is "
        f"contract '{taken}' already; import the document to update it"
    )
    assert sql("SELECT count(*) FROM contracts") == [(1,)]


async def test_a_create_nudges_the_dictionary_once_written(
    client: httpx.AsyncClient, commerce: dict[str, str], clean_db: str
) -> None:
    with mock.patch("contract_service.contracts.service.nudge_dictionary") as nudge:
        response = await client.post("/api/v1/contracts", json=_minimal(), headers=commerce)
    assert response.status_code == 201
    nudge.assert_called_once_with()
