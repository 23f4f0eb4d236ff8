"""POST /contracts/odcs: an ODCS document imported object by object, keyed by its id.

The issue this answers: adding a second schema object to a named document renamed the
existing contract (`shop` -> `shop_orders`) and created a new one beside it, skipping the
semver gate and the subscribers' alerts; a document without a name could land on another
team's contract.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from datapact_common.odcs import from_odcs
from datapact_common.yaml_io import dump_yaml, load_yaml

URL = "/api/v1/contracts/odcs"
DOCUMENT_ID = "5b6f9a52-2d0c-4c59-9d4e-0b1a6e1f0001"


def _object(name: str, *extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "physicalName": name,
        "properties": [
            {"name": "id", "logicalType": "integer", "primaryKey": True, "required": True},
            {"name": "note", "logicalType": "string", "physicalType": "varchar(18)"},
            *extra,
        ],
    }


def _shop(*objects: dict[str, Any], version: str = "1.0.0", **top: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": DOCUMENT_ID,
        "name": "shop",
        "version": version,
        "status": "active",
        "team": {"name": "commerce", "members": [{"username": "alice", "role": "owner"}]},
        "roles": [{"role": "shop_reader", "access": "read"}],
        "schema": list(objects) or [_object("orders")],
        **top,
    }
    return document


async def _import(
    client: httpx.AsyncClient, document: dict[str, Any], headers: dict[str, str], **params: Any
) -> httpx.Response:
    return await client.post(
        URL,
        content=dump_yaml(document),
        headers={**headers, "Content-Type": "application/yaml"},
        params=params,
    )


async def _contract(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/contracts/name/{name}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_first_import_creates_a_contract_per_object(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    response = await _import(client, _shop(), commerce)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["document_id"] == DOCUMENT_ID and body["dry_run"] is False
    [item] = body["contracts"]
    assert (item["object"], item["contract"], item["action"]) == ("orders", "shop", "created")
    stored = await _contract(client, "shop")
    assert (stored["odcs"]["id"], stored["odcs"]["object"]) == (DOCUMENT_ID, "orders")
    assert stored["odcs"]["document"]["roles"] == [{"role": "shop_reader", "access": "read"}]


async def test_a_second_object_never_renames_the_first(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    await _import(client, _shop(), commerce)
    two = _shop(_object("orders"), _object("customers"), version="1.1.0")
    response = await _import(client, two, commerce)
    assert response.status_code == 200, response.text
    items = {i["object"]: i for i in response.json()["contracts"]}
    assert (items["orders"]["contract"], items["orders"]["action"]) == ("shop", "unchanged")
    assert (items["customers"]["contract"], items["customers"]["action"]) == (
        "shop_customers",
        "created",
    )
    assert "schema object 'orders' stays contract 'shop'" in " ".join(response.json()["notes"])
    names = {c["name"] for c in (await client.get("/api/v1/contracts")).json()["contracts"]}
    assert names == {"shop", "shop_customers"}  # no shop_orders beside shop


async def test_an_object_change_goes_through_the_semver_gate(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    await _import(client, _shop(), commerce)
    narrowed = _shop(version="1.0.1")
    narrowed["schema"][0]["properties"][1]["physicalType"] = "varchar(10)"
    refused = await _import(client, narrowed, commerce)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["detail"].startswith("schema object 'orders' (shop): major version bump")
    assert [c["kind"] for c in body["changes"]] == ["physical_type_changed"]
    assert (body["required_bump"], body["contract"]) == ("major", "shop")
    narrowed["version"] = "2.0.0"
    accepted = await _import(client, narrowed, commerce)
    [item] = accepted.json()["contracts"]
    assert (item["action"], item["old_version"], item["new_version"]) == (
        "updated",
        "1.0.0",
        "2.0.0",
    )
    assert (await _contract(client, "shop"))["schema"][1]["physical_type"] == "varchar(10)"


async def test_an_object_gone_from_the_document_is_a_removed_table(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    await _import(client, _shop(_object("orders"), _object("customers")), commerce)
    without = _shop(_object("orders"), version="1.1.0")
    refused = await _import(client, without, commerce)
    assert refused.status_code == 409, refused.text
    assert refused.json()["changes"][0]["kind"] == "table_removed"
    assert refused.json()["changes"][0]["severity"] == "breaking"
    assert (await _contract(client, "shop_customers"))["status"] == "active"  # rolled back
    without["version"] = "2.0.0"
    accepted = await _import(client, without, commerce)
    assert accepted.status_code == 200, accepted.text
    items = {i["object"]: i for i in accepted.json()["contracts"]}
    assert items["customers"]["action"] == "deprecated"
    assert (await _contract(client, "shop_customers"))["status"] == "deprecated"


async def test_a_document_never_lands_on_another_teams_contract(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    other_team: dict[str, str],
    create: Any,
    contract_factory: Any,
) -> None:
    await create(contract_factory("payments"))  # team commerce, written in DataPact
    nameless = _shop(_object("payments"))
    del nameless["name"]  # a document without a name imports under its object's name
    nameless["team"] = {"name": "marketing"}
    refused = await _import(client, nameless, other_team)
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"] == (
        "schema object 'payments' would land on contract 'payments' of team 'commerce', and "
        "this document is team 'marketing's: refused (give the document a name, or the "
        "object another one)"
    )
    assert (await _contract(client, "payments")).get("odcs") is None


async def test_another_documents_object_is_not_taken_over(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    await _import(client, _shop(), commerce)
    other = _shop(id="another-document")
    refused = await _import(client, other, commerce)
    assert refused.status_code == 409
    assert f"schema object 'orders' of ODCS document {DOCUMENT_ID}" in refused.json()["detail"]


async def test_the_same_document_of_another_team_is_refused(
    client: httpx.AsyncClient, commerce: dict[str, str], other_team: dict[str, str]
) -> None:
    await _import(client, _shop(), commerce)
    refused = await _import(client, _shop(version="1.0.1"), other_team)
    assert refused.status_code == 403
    assert "is contract 'shop' of team 'commerce'" in refused.json()["detail"]


async def test_a_same_team_contract_takes_up_the_document(
    client: httpx.AsyncClient, commerce: dict[str, str], create: Any, contract_factory: Any
) -> None:
    await create(contract_factory("shop"))
    document = _shop(version="2.0.0")
    response = await _import(client, document, commerce)
    assert response.status_code == 200, response.text
    assert "contract 'shop', written in DataPact, now follows" in " ".join(response.json()["notes"])
    assert (await _contract(client, "shop"))["odcs"]["id"] == DOCUMENT_ID


async def test_dry_run_plans_and_writes_nothing(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    planned = await _import(client, _shop(), commerce, dry_run="true")
    assert planned.status_code == 200
    assert planned.json()["dry_run"] is True
    assert planned.json()["contracts"][0]["contract_id"] is None
    assert (await client.get("/api/v1/contracts/name/shop")).status_code == 404


async def test_partial_and_invalid_documents_say_why(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    partial = await _import(client, _shop(schema=[]), commerce)
    assert partial.status_code == 422
    assert partial.json()["detail"].startswith("partial ODCS document")
    assert partial.json()["errors"][0] == {
        "loc": "schema",
        "message": "no schema objects (the document describes no dataset)",
        "type": "odcs",
    }
    invalid = await _import(client, {**_shop(), "status": None}, commerce)
    assert invalid.status_code == 422
    assert invalid.json()["detail"].startswith("invalid ODCS document")
    unauthenticated = await client.post(URL, json=_shop())
    assert unauthenticated.status_code == 401
    other_method = await client.get(URL)
    assert other_method.status_code == 405


async def test_a_push_without_the_document_keeps_it(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    """A DataPact file (or the GitHub sync) does not carry the ODCS document: it is kept,
    and the identity can never change."""
    await _import(client, _shop(), commerce)
    stored = await _contract(client, "shop")
    document = {k: v for k, v in stored.items() if k not in ("id", "created_at", "updated_at")}
    document.pop("compliance")
    plain = {**copy.deepcopy(document), "version": "1.1.0", "description": "edited"}
    plain.pop("odcs")
    updated = await client.put(f"/api/v1/contracts/{stored['id']}", json=plain, headers=commerce)
    assert updated.status_code == 200, updated.text
    assert updated.json()["odcs"]["id"] == DOCUMENT_ID
    moved = copy.deepcopy(document) | {"version": "1.2.0"}
    moved["odcs"]["object"] = "elsewhere"
    refused = await client.put(f"/api/v1/contracts/{stored['id']}", json=moved, headers=commerce)
    assert refused.status_code == 422
    assert "ODCS identity of 'shop' cannot change" in refused.json()["detail"]


@pytest.mark.parametrize("version", ["v3.1.0", "v3.2.0"])
async def test_the_export_is_the_imported_document(
    client: httpx.AsyncClient, commerce: dict[str, str], version: str
) -> None:
    document = _shop(support=[{"channel": "#shop", "url": "https://chat.example.com/shop"}])
    await _import(client, document, commerce)
    stored = await _contract(client, "shop")
    exported = await client.get(
        f"/api/v1/contracts/{stored['id']}/odcs", params={"odcs_version": version}
    )
    written = load_yaml(exported.text)
    assert written["support"] == document["support"]
    assert written["roles"] == document["roles"]
    assert written["schema"][0]["properties"][1]["physicalType"] == "varchar(18)"
    assert from_odcs(written)[0].odcs_identity == (DOCUMENT_ID, "orders")


async def test_a_kept_document_that_makes_no_odcs_is_refused(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    """A registry never stores a contract it cannot export."""
    await _import(client, _shop(), commerce)
    stored = await _contract(client, "shop")
    document = {k: v for k, v in stored.items() if k not in ("id", "created_at", "updated_at")}
    document.pop("compliance")
    document["version"] = "1.0.1"
    document["odcs"]["document"]["change_management"] = "weekly"  # not an ODCS section
    refused = await client.put(f"/api/v1/contracts/{stored['id']}", json=document, headers=commerce)
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("the `odcs` section does not make a valid ODCS")
    assert "change_management" in refused.json()["detail"]


async def test_a_named_document_never_lands_on_another_teams_contract(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    other_team: dict[str, str],
    create: Any,
    contract_factory: Any,
) -> None:
    """The document's name is the contract name of its only object: 'shop' is marketing's."""
    await create(contract_factory("shop", team="marketing"), other_team)
    for params in ({}, {"dry_run": "true"}):
        refused = await _import(client, _shop(), commerce, **params)
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"] == (
            "schema object 'orders' would land on contract 'shop' of team 'marketing', and "
            "this document is team 'commerce's: refused (give the document a name, or the "
            "object another one)"
        )
    stored = await _contract(client, "shop")
    assert stored.get("odcs") is None and stored["publisher"]["team"] == "marketing"
    assert stored["version"] == "1.0.0"


async def test_a_named_documents_new_object_never_lands_on_another_teams_contract(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    other_team: dict[str, str],
    create: Any,
    contract_factory: Any,
) -> None:
    """A second object of 'shop' would be 'shop_customers', which is marketing's: the whole
    document is refused, the first object's contract included (all or nothing)."""
    await _import(client, _shop(), commerce)
    await create(contract_factory("shop_customers", team="marketing"), other_team)
    two = _shop(_object("orders"), _object("customers"), version="1.1.0")
    refused = await _import(client, two, commerce)
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"].startswith(
        "schema object 'customers' would land on contract 'shop_customers' of team 'marketing'"
    )
    assert (await _contract(client, "shop"))["version"] == "1.0.0"
    assert (await _contract(client, "shop_customers")).get("odcs") is None


async def test_a_named_document_of_another_team_on_a_same_named_contract_is_refused(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    other_team: dict[str, str],
    create: Any,
    contract_factory: Any,
) -> None:
    """Marketing's token and document cannot take commerce's 'shop' by naming itself so."""
    await create(contract_factory("shop"))  # commerce's, written in DataPact
    intruder = _shop(id="marketing-shop", team={"name": "marketing"})
    refused = await _import(client, intruder, other_team)
    assert refused.status_code == 409, refused.text
    assert "would land on contract 'shop' of team 'commerce'" in refused.json()["detail"]
    assert "this document is team 'marketing's" in refused.json()["detail"]
    assert (await _contract(client, "shop")).get("odcs") is None
