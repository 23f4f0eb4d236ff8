"""POST /api/v1/contracts/validate: errors and warnings, nothing saved, no token needed."""

from __future__ import annotations

from typing import Any

import httpx

from datapact_common.yaml_io import dump_yaml

URL = "/api/v1/contracts/validate"


def kinds(issues: list[dict[str, Any]]) -> set[str]:
    return {i["type"] for i in issues}


async def test_valid_document_with_warnings_saves_nothing(
    client: httpx.AsyncClient, contract_factory: Any, sql: Any
) -> None:
    document = contract_factory("customers", quality=[])
    document.pop("quality")
    document["schema"].append({"name": "email", "data_type": "string", "is_pii": True})
    document["schema"].append(
        {"name": "region_id", "data_type": "integer", "is_foreign_key": True,
         "foreign_key_reference": "regions.id"}
    )  # fmt: skip
    response = await client.post(URL, json=document)
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["errors"] == []
    assert kinds(body["warnings"]) == {
        "pii_without_description",
        "no_quality_sla",
        "no_access_config",
        "unknown_reference_contract",
    }
    pii = next(w for w in body["warnings"] if w["type"] == "pii_without_description")
    assert pii["loc"] == "schema.3.description" and "email" in pii["message"]
    assert sql("SELECT count(*) FROM contracts") == [(0,)]


async def test_reference_to_a_known_contract_but_unknown_field(
    client: httpx.AsyncClient, contract_factory: Any, create: Any
) -> None:
    await create(contract_factory("regions"))
    document = contract_factory("stores")
    document["schema"].append(
        {
            "name": "region_id",
            "data_type": "uuid",
            "is_foreign_key": True,
            "foreign_key_reference": "regions.id",
        }
    )
    document["schema"].append(
        {
            "name": "zone",
            "data_type": "uuid",
            "is_foreign_key": True,
            "foreign_key_reference": "regions.zone_id",
        }
    )
    document["schema"].append(
        {
            "name": "parent",
            "data_type": "uuid",
            "is_foreign_key": True,
            "foreign_key_reference": "stores.id",
        }
    )
    body = (await client.post(URL, json=document)).json()
    references = [w for w in body["warnings"] if w["type"].startswith("unknown_reference")]
    assert references == [
        {
            "loc": "schema.4.foreign_key_reference",
            "message": "field 'zone' references 'regions.zone_id', "
            "but 'regions' has no field 'zone_id'",
            "type": "unknown_reference_field",
        }
    ]


async def test_invalid_document_lists_every_error(
    client: httpx.AsyncClient, sample_contract: dict[str, Any]
) -> None:
    sample_contract["name"] = "Bad Name"
    sample_contract["schema"][1]["data_type"] = "money"
    sample_contract["quality"][0]["threshold"] = "whenever"
    body = (await client.post(URL, json=sample_contract)).json()
    assert body["valid"] is False
    assert {e["loc"] for e in body["errors"]} == {"name", "schema.1.data_type", "quality.0"}


async def test_unparseable_body_is_reported_not_raised(client: httpx.AsyncClient) -> None:
    response = await client.post(
        URL, content="name: [oops", headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["errors"][0]["type"] == "parse_error" and "line" in body["errors"][0]["message"]
    nul = (
        await client.post(
            URL, content='{"name": "\\u0000"}', headers={"content-type": "application/json"}
        )
    ).json()
    assert nul["valid"] is False and nul["errors"][0]["type"] == "string_nul"
    wrong_type = await client.post(URL, content="x", headers={"content-type": "text/csv"})
    assert wrong_type.status_code == 415


async def test_compares_with_the_registered_contract(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    await create(sample_contract)
    same = (
        await client.post(
            URL, content=dump_yaml(sample_contract), headers={"content-type": "application/yaml"}
        )
    ).json()
    assert "contract_exists" in kinds(same["warnings"])
    smaller = dict(sample_contract, version="1.0.1")
    smaller["schema"] = sample_contract["schema"][:1]
    body = (await client.post(URL, json=smaller)).json()
    bump = next(w for w in body["warnings"] if w["type"] == "version_bump")
    assert "major version bump required" in bump["message"]
