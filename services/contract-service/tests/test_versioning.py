"""The semver policy of docs/design.md §4, version history, snapshots and diffs."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from datapact_common.documents import parse_contract


def without_field(document: dict[str, Any], field: str, version: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["schema"] = [f for f in changed["schema"] if f["name"] != field]
    changed["version"] = version
    return changed


async def test_removed_field_with_minor_bump_is_refused_with_the_change_list(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    response = await client.put(
        f"/api/v1/contracts/{created['id']}",
        json=without_field(sample_contract, "total", "1.1.0"),
        headers=commerce,
    )
    assert response.status_code == 409
    body = response.json()
    assert body["required_bump"] == "major" and body["actual_bump"] == "minor"
    assert body["current_version"] == "1.0.0" and body["proposed_version"] == "1.1.0"
    assert "2.0.0" in body["detail"] and "total" in body["detail"]
    [change] = body["changes"]
    assert change["kind"] == "field_removed" and change["severity"] == "breaking"
    assert change["field"] == "total"
    # nothing was saved
    current = (await client.get(f"/api/v1/contracts/{created['id']}")).json()
    assert current["version"] == "1.0.0" and len(current["schema"]) == 2


async def test_removed_field_with_major_bump_is_accepted(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    response = await client.put(
        f"/api/v1/contracts/{created['id']}",
        json=without_field(sample_contract, "total", "2.0.0"),
        headers=commerce,
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == "2.0.0"
    assert [f["name"] for f in response.json()["schema"]] == ["order_id"]
    assert response.json()["updated_at"] > created["updated_at"]


async def test_bump_rules_per_severity(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    added = copy.deepcopy(sample_contract)
    added["schema"].append({"name": "coupon", "data_type": "string"})
    # an added field needs a minor bump
    added["version"] = "1.0.1"
    refused = await client.put(url, json=added, headers=commerce)
    assert refused.status_code == 409 and refused.json()["required_bump"] == "minor"
    added["version"] = "1.1.0"
    assert (await client.put(url, json=added, headers=commerce)).status_code == 200
    # a description change needs at least a patch bump, and the version must move
    documented = dict(added, description="better words")
    same_version = await client.put(url, json=documented, headers=commerce)
    assert same_version.status_code == 409 and same_version.json()["required_bump"] == "patch"
    documented["version"] = "1.1.1"
    assert (await client.put(url, json=documented, headers=commerce)).status_code == 200
    # a lower version is refused whatever changed
    lower = dict(documented, version="1.0.9", description="older")
    response = await client.put(url, json=lower, headers=commerce)
    assert response.status_code == 409 and "lower" in response.json()["detail"]


async def test_identical_document_is_a_noop(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    response = await client.put(
        f"/api/v1/contracts/{created['id']}", json=sample_contract, headers=commerce
    )
    assert response.status_code == 200
    assert response.json() == created
    versions = (await client.get(f"/api/v1/contracts/{created['id']}/versions")).json()["versions"]
    assert [v["version"] for v in versions] == ["1.0.0"]


async def test_a_subscriber_list_in_an_update_is_not_applied(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    """Subscriptions change through the subscriber routes only: an update that lists other
    subscribers changes nothing (no version, no subscription) and says so."""
    created = await create(sample_contract)
    with_subscriber = dict(
        sample_contract, subscribers=[{"team": "analytics", "fields_used": ["total"]}]
    )
    response = await client.put(
        f"/api/v1/contracts/{created['id']}", json=with_subscriber, headers=commerce
    )
    assert response.status_code == 200, response.text
    assert response.json()["version"] == "1.0.0"
    assert response.json()["subscribers"] == []
    assert "subscribers were not applied" in response.headers["DataPact-Notice"]
    versions = (await client.get(f"/api/v1/contracts/{created['id']}/versions")).json()["versions"]
    assert [v["version"] for v in versions] == ["1.0.0"]
    subscribers = (await client.get(f"/api/v1/contracts/{created['id']}/subscribers")).json()
    assert subscribers["subscribers"] == []


async def test_name_cannot_change(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    renamed = dict(sample_contract, name="orders_renamed", version="2.0.0")
    response = await client.put(
        f"/api/v1/contracts/{created['id']}", json=renamed, headers=commerce
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == "name"


async def test_version_history_snapshots_and_diffs(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    v110 = copy.deepcopy(sample_contract)
    v110["version"] = "1.1.0"
    v110["schema"].append({"name": "currency", "data_type": "string", "nullable": False})
    assert (await client.put(url, json=v110, headers=commerce)).status_code == 200
    v200 = without_field(v110, "total", "2.0.0")
    assert (await client.put(url, json=v200, headers=commerce)).status_code == 200

    history = (await client.get(f"{url}/versions")).json()
    assert history["name"] == "test_orders" and history["current_version"] == "2.0.0"
    versions = history["versions"]
    assert [v["version"] for v in versions] == ["1.0.0", "1.1.0", "2.0.0"]
    assert all(v["changed_by"] == "alice" for v in versions)
    assert versions[1]["changes"][0]["kind"] == "field_added"
    assert "breaking" in versions[2]["change_summary"]

    for version, document in (("1.0.0", sample_contract), ("1.1.0", v110), ("2.0.0", v200)):
        snapshot = await client.get(f"{url}/versions/{version}")
        assert snapshot.status_code == 200
        assert snapshot.json() == parse_contract(document).to_document()
    assert (await client.get(f"{url}/versions/9.9.9")).status_code == 404
    assert (await client.get(f"{url}/versions/latest")).status_code == 422

    diff = (await client.get(f"{url}/diff", params={"from": "1.0.0", "to": "2.0.0"})).json()
    assert diff["old_version"] == "1.0.0" and diff["new_version"] == "2.0.0"
    assert {c["kind"] for c in diff["changes"]} == {"field_added", "field_removed"}
    assert diff["bump_ok"] is True and diff["required_bump"] == "major"
    default = (await client.get(f"{url}/diff")).json()  # previous -> current
    assert (default["old_version"], default["new_version"]) == ("1.1.0", "2.0.0")
    first = await client.get(f"{url}/diff", params={"to": "1.0.0"})
    assert first.status_code == 404 and "first" in first.json()["detail"]
    assert (await client.get(f"{url}/diff", params={"from": "0.0.1"})).status_code == 404
    assert (await client.get(f"{url}/diff", params={"from": "one"})).status_code == 422


async def test_dry_run_diff_saves_nothing(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, sql: Any
) -> None:
    created = await create(sample_contract)
    proposed = without_field(sample_contract, "total", "1.1.0")
    proposed["subscribers"] = [{"team": "finance", "fields_used": ["order_id"]}]
    response = await client.post(f"/api/v1/contracts/{created['id']}/diff", json=proposed)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["bump_ok"] is False and report["required_bump"] == "major"
    assert "2.0.0" in report["violation"]
    kinds = {c["kind"]: c for c in report["changes"]}
    assert kinds["subscribers_changed"]["versioned"] is False
    assert sql("SELECT version FROM contracts") == [("1.0.0",)]
    assert sql("SELECT count(*) FROM contract_versions") == [(1,)]
    assert sql("SELECT count(*) FROM subscribers") == [(0,)]
    other = dict(sample_contract, name="someone_else")
    assert (
        await client.post(f"/api/v1/contracts/{created['id']}/diff", json=other)
    ).status_code == 422
    broken = await client.post(
        f"/api/v1/contracts/{created['id']}/diff",
        content="name: [",
        headers={"content-type": "application/yaml"},
    )
    assert broken.status_code == 400


async def test_breaking_change_names_affected_subscribers(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    document = dict(
        sample_contract,
        subscribers=[
            {"team": "finance", "fields_used": ["total"]},
            {"team": "ops", "fields_used": ["order_id"]},
            {"team": "everything", "fields_used": []},
        ],
    )
    created = await create(document)
    response = await client.put(
        f"/api/v1/contracts/{created['id']}",
        json=without_field(document, "total", "1.0.1"),
        headers=commerce,
    )
    assert response.status_code == 422  # finance's fields_used names the removed field
    kept = copy.deepcopy(document)
    kept["subscribers"][0]["fields_used"] = ["order_id"]
    kept = without_field(kept, "total", "1.0.1")
    refused = await client.put(f"/api/v1/contracts/{created['id']}", json=kept, headers=commerce)
    assert refused.status_code == 409
    removed = next(c for c in refused.json()["changes"] if c["kind"] == "field_removed")
    assert removed["affected_subscribers"] == ["everything", "finance"]
