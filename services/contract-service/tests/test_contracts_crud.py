"""Create, read, update, deprecate: the spec's examples and the document round trip."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from datapact_common.documents import parse_contract
from datapact_common.yaml_io import dump_yaml, load_yaml

READ_ONLY = {"id", "created_at", "updated_at", "compliance"}


def document_of(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in READ_ONLY}


async def test_create_returns_201_with_both_fields(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], commerce: dict[str, str]
) -> None:
    response = await client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["name"] == "test_orders"
    assert [f["name"] for f in data["schema"]] == ["order_id", "total"]
    assert response.headers["location"] == f"/api/v1/contracts/{data['id']}"
    assert data["compliance"] == {"status": "unknown", "checks": {}}
    assert data["created_at"] == data["updated_at"]


async def test_get_by_id_and_by_name(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    by_id = await client.get(f"/api/v1/contracts/{created['id']}")
    assert by_id.status_code == 200
    assert by_id.json()["name"] == "test_orders"
    by_name = await client.get("/api/v1/contracts/name/test_orders")
    assert by_name.status_code == 200
    assert by_name.json() == by_id.json() == created


async def test_duplicate_name_is_409(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    again = dict(sample_contract, version="2.0.0", description="another one")
    response = await client.post("/api/v1/contracts", json=again, headers=commerce)
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]
    assert response.json()["contract_id"] == created["id"]


async def test_unknown_contract_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for path in (
        f"/api/v1/contracts/{missing}",
        "/api/v1/contracts/name/no_such_contract",
        f"/api/v1/contracts/{missing}/fields",
        f"/api/v1/contracts/{missing}/versions",
        f"/api/v1/contracts/{missing}/versions/1.0.0",
        f"/api/v1/contracts/{missing}/diff",
        f"/api/v1/contracts/{missing}/subscribers",
        f"/api/v1/contracts/{missing}/compliance",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "not found" in response.json()["detail"]


async def test_what_you_put_is_what_you_get(
    client: httpx.AsyncClient, create: Any, commerce: dict[str, str]
) -> None:
    document = {
        "name": "rich_contract",
        "version": "1.0.0",
        "description": "Every kind of value",
        "status": "active",
        "table": "analytics.rich",
        "publisher": {
            "team": "commerce",
            "owner": "data-eng",
            "repository_url": "https://example.com/repo",
            "contact_email": "team@example.com",
        },
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {
                "name": "email",
                "data_type": "string",
                "description": "contact address",
                "is_pii": True,
                "unique": True,
                "example_value": "a@example.com",
                "constraints": [
                    {"type": "regex", "value": "^[^@]+@[^@]+$", "message": "an address"},
                    {"type": "max_length", "value": 320},
                ],
            },
            {
                "name": "score",
                "data_type": "float",
                "example_value": 0.25,
                "constraints": [{"type": "min", "value": 0}, {"type": "max", "value": 1.5}],
            },
            {"name": "parent_id", "data_type": "integer", "is_foreign_key": True,
             "foreign_key_reference": "rich_contract.id"},
            {"name": "attrs", "data_type": "json", "example_value": {"nested": [1, "two", None]}},
        ],
        "quality": [
            {"metric_type": "freshness", "threshold": "1h", "measurement_method": "max(ts)"},
            {"metric_type": "completeness", "threshold": "99.5%", "alert_on_breach": False},
        ],
        "access": {
            "endpoint_url": "https://data.example.com/rich",
            "methods": ["GET", "POST"],
            "auth_type": "oauth2",
            "required_scopes": ["read:rich"],
            "rate_limit": "1000 req/min",
        },
        "subscribers": [
            {"team": "analytics", "use_case": "reports", "fields_used": ["id", "score"],
             "contact_email": "bi@example.com"}
        ],
        "tags": ["finance", "gold"],
        "metadata": {"created": "2024-01-01", "layers": {"bronze": False, "n": 3}},
    }  # fmt: skip
    created = await create(document)
    expected = parse_contract(document).to_document()
    assert document_of(created) == expected
    fetched = (await client.get(f"/api/v1/contracts/{created['id']}")).json()
    assert document_of(fetched) == expected
    # key order as written in the model, not PostgreSQL's JSONB order
    assert list(document_of(fetched)) == list(expected)
    assert list(fetched["schema"][1]) == list(expected["schema"][1])
    # a fetched body can be sent back as-is (read-only keys are ignored): a no-op
    again = await client.put(f"/api/v1/contracts/{created['id']}", json=fetched, headers=commerce)
    assert again.status_code == 200
    assert again.json()["updated_at"] == created["updated_at"]


async def test_create_from_yaml_keeps_dates_as_strings(
    client: httpx.AsyncClient, commerce: dict[str, str], contract_factory: Any
) -> None:
    document = contract_factory("yaml_dataset", metadata={"since": "2024-01-31"})
    text = dump_yaml(document).replace("'2024-01-31'", "2024-01-31")
    assert "since: 2024-01-31" in text  # unquoted: YAML 1.1 would read a date
    response = await client.post(
        "/api/v1/contracts",
        content=text,
        headers={**commerce, "Content-Type": "application/yaml"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["metadata"] == {"since": "2024-01-31"}
    assert load_yaml(text)["metadata"]["since"] == "2024-01-31"


async def test_update_from_yaml(
    client: httpx.AsyncClient, commerce: dict[str, str], contract_factory: Any, create: Any
) -> None:
    created = await create(contract_factory("yaml_update"))
    document = document_of(created) | {"version": "1.0.1", "description": "now in YAML"}
    response = await client.put(
        f"/api/v1/contracts/{created['id']}",
        content=dump_yaml(document),
        headers={**commerce, "Content-Type": "application/x-yaml"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["description"] == "now in YAML"
    assert response.json()["version"] == "1.0.1"


async def test_fields_endpoint_lists_fields_in_order(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    response = await client.get(f"/api/v1/contracts/{created['id']}/fields")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "test_orders" and body["version"] == "1.0.0"
    assert [f["name"] for f in body["fields"]] == ["order_id", "total"]
    assert body["fields"][0]["is_primary_key"] is True


async def test_deprecate_is_a_soft_delete_and_a_minor_version(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    response = await client.delete(
        f"/api/v1/contracts/{created['id']}",
        params={"reason": "replaced by orders_v2"},
        headers=commerce,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "deprecated"
    assert response.json()["version"] == "1.1.0"
    # still readable, listed under its status, and history shows why
    fetched = await client.get(f"/api/v1/contracts/{created['id']}")
    assert fetched.json()["status"] == "deprecated"
    listed = await client.get("/api/v1/contracts", params={"status": "deprecated"})
    assert [c["name"] for c in listed.json()["contracts"]] == ["test_orders"]
    versions = (await client.get(f"/api/v1/contracts/{created['id']}/versions")).json()["versions"]
    assert versions[-1]["version"] == "1.1.0"
    assert "replaced by orders_v2" in versions[-1]["change_summary"]
    assert versions[-1]["changed_by"] == "alice"
    # deprecating again changes nothing
    again = await client.delete(f"/api/v1/contracts/{created['id']}", headers=commerce)
    assert again.status_code == 200
    assert again.json()["version"] == "1.1.0"


async def test_deprecate_unknown_contract_is_404(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    response = await client.delete(f"/api/v1/contracts/{uuid.uuid4()}", headers=commerce)
    assert response.status_code == 404


async def test_update_unknown_contract_is_404(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], commerce: dict[str, str]
) -> None:
    response = await client.put(
        f"/api/v1/contracts/{uuid.uuid4()}", json=sample_contract, headers=commerce
    )
    assert response.status_code == 404


async def test_normalized_tables_follow_the_document(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
) -> None:
    created = await create(sample_contract)
    rows = sql("SELECT name, position FROM contract_fields ORDER BY position")
    assert rows == [("order_id", 0), ("total", 1)]
    assert sql("SELECT metric_type, threshold_value, threshold_unit FROM quality_metrics") == [
        ("freshness", 900.0, "seconds")
    ]
    updated = dict(sample_contract, version="1.1.0")
    updated["schema"] = [*sample_contract["schema"], {"name": "note", "data_type": "string"}]
    updated["quality"] = [{"metric_type": "completeness", "threshold": "99.9%"}]
    response = await client.put(
        f"/api/v1/contracts/{created['id']}", json=updated, headers=commerce
    )
    assert response.status_code == 409  # freshness SLA removed: breaking, needs 2.0.0
    updated["version"] = "2.0.0"
    response = await client.put(
        f"/api/v1/contracts/{created['id']}", json=updated, headers=commerce
    )
    assert response.status_code == 200, response.text
    assert [r[0] for r in sql("SELECT name FROM contract_fields ORDER BY position")] == [
        "order_id", "total", "note",
    ]  # fmt: skip
    assert sql("SELECT metric_type, threshold_value, threshold_unit FROM quality_metrics") == [
        ("completeness", 99.9, "percent")
    ]
    assert sql("SELECT version FROM contracts") == [("2.0.0",)]
