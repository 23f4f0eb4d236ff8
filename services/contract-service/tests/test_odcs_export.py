"""GET /contracts/{id}/odcs: the contract as a schema-valid ODCS v3 document, lossless."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from datapact_common.documents import parse_contract
from datapact_common.odcs import check_document, from_odcs
from datapact_common.yaml_io import load_yaml


async def test_export_is_valid_odcs_that_reads_back_to_the_same_contract(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    response = await client.get(f"/api/v1/contracts/{created['id']}/odcs")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/yaml")
    assert "test_orders-1.0.0.odcs.yaml" in response.headers["content-disposition"]
    document = load_yaml(response.text)
    errors, _ = check_document(document)
    assert errors == []
    assert document["apiVersion"].startswith("v3")
    [contract] = from_odcs(document)
    assert contract == parse_contract(sample_contract)


async def test_json_on_request_and_an_older_version_by_query(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    newer = {**sample_contract, "version": "1.1.0", "description": "now with a note"}
    updated = await client.put(f"/api/v1/contracts/{created['id']}", json=newer, headers=commerce)
    assert updated.status_code == 200, updated.text

    current = await client.get(
        f"/api/v1/contracts/{created['id']}/odcs", headers={"Accept": "application/json"}
    )
    assert current.headers["content-type"].startswith("application/json")
    assert current.json()["version"] == "1.1.0"

    old = await client.get(f"/api/v1/contracts/{created['id']}/odcs", params={"version": "1.0.0"})
    assert old.status_code == 200
    [contract] = from_odcs(load_yaml(old.text))
    assert contract.version == "1.0.0"
    assert contract.description == sample_contract.get("description")


async def test_unknown_contract_version_or_bad_version_is_a_clear_4xx(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    missing = await client.get(f"/api/v1/contracts/{uuid.uuid4()}/odcs")
    assert missing.status_code == 404
    created = await create(sample_contract)
    no_such = await client.get(
        f"/api/v1/contracts/{created['id']}/odcs", params={"version": "9.9.9"}
    )
    assert no_such.status_code == 404
    assert "9.9.9" in no_such.json()["detail"]
    malformed = await client.get(
        f"/api/v1/contracts/{created['id']}/odcs", params={"version": "latest"}
    )
    assert malformed.status_code == 422


async def test_either_odcs_version_by_query(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/odcs"
    default = load_yaml((await client.get(url)).text)
    assert default["apiVersion"] == "v3.2.0"  # the newest the official package validates
    older = load_yaml((await client.get(url, params={"odcs_version": "v3.1.0"})).text)
    assert older["apiVersion"] == "v3.1.0"
    assert check_document(older) == ([], [])
    assert from_odcs(older) == from_odcs(default) == [parse_contract(sample_contract)]
    unknown = await client.get(url, params={"odcs_version": "v3.0.2"})
    assert unknown.status_code == 422
    assert "v3.1.0" in unknown.text and "v3.2.0" in unknown.text


async def test_a_document_needing_v3_2_is_not_written_as_v3_1(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    """An imported v3.2 document keeps its v3.2 parts; v3.1 cannot say them: 422, not a
    document that fails its own schema."""
    document = {
        "apiVersion": "v3.2.0",
        "kind": "DataContract",
        "id": "f0e3b1a2-0000-4000-8000-000000000001",
        "version": "1.0.0",
        "status": "active",
        "team": {"name": "commerce", "members": [{"username": "alice", "role": "owner"}]},
        "schema": [
            {
                "name": "test_orders",
                "properties": [
                    {"name": "id", "logicalType": "integer", "semanticType": "dimension"}
                ],
            }
        ],
    }
    [contract] = from_odcs(document)
    created = await create(contract.to_document())
    url = f"/api/v1/contracts/{created['id']}/odcs"
    written = load_yaml((await client.get(url)).text)
    assert written["schema"][0]["properties"][0]["semanticType"] == "dimension"
    refused = await client.get(url, params={"odcs_version": "v3.1.0"})
    assert refused.status_code == 422
    assert "export as v3.2.0" in refused.json()["detail"]
