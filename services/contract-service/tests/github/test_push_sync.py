"""A push to the default branch syncs the changed contract files into the registry through
the API's own write path; what the rules refuse is recorded on the delivery and alerted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from datapact_testing.tokens import admin_token, bearer

CONTRACT = "services/orders/contract.yaml"


@pytest.fixture
async def registered(client: httpx.AsyncClient, kit: Any, create: Any) -> dict[str, Any]:
    body: dict[str, Any] = await create(kit.orders_contract("1.0.0"))
    response = await client.post(
        f"/api/v1/contracts/{body['id']}/subscribers",
        json={"team": "finance", "fields_used": ["total"]},
        headers=bearer(admin_token()),
    )
    assert response.status_code == 201, response.text
    return body


def merged(gh: Any, kit: Any, files: dict[str, Any], *, before_files: dict[str, Any] | None = None
           ) -> tuple[Any, str, str]:  # fmt: skip
    repo = gh.add_repo("acme", "shop")
    before = repo.commit(before_files or {CONTRACT: kit.yaml_of(kit.orders_contract("1.0.0"))})
    after = repo.commit(files, parent=before)
    return repo, before, after


async def push(webhook: Any, queue: Any, payload: dict[str, Any], delivery: str = "push-1") -> Any:
    response = await webhook("push", payload, delivery)
    assert response.status_code == 202, response.text
    [outcome] = await queue.drain()
    return outcome


async def contract(client: httpx.AsyncClient, name: str = "orders") -> dict[str, Any]:
    response = await client.get(f"/api/v1/contracts/name/{name}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_merge_updates_the_registry_as_the_pusher(
    gh: Any, kit: Any, webhook: Any, queue: Any, client: httpx.AsyncClient, registered: Any,
    sql: Any,
) -> None:  # fmt: skip
    new = kit.with_field(
        kit.orders_contract("1.1.0"), {"name": "currency", "data_type": "string", "nullable": False}
    )
    repo, before, after = merged(gh, kit, {CONTRACT: kit.yaml_of(new)})
    payload = kit.push_body(repo, before, after, modified=[CONTRACT], pusher="octo-merger")
    outcome = await push(webhook, queue, payload)
    assert outcome.status == "processed" and outcome.detail["updated"] == ["orders"]

    current = await contract(client)
    assert current["version"] == "1.1.0"
    assert "currency" in [f["name"] for f in current["schema"]]
    assert {s["team"] for s in current["subscribers"]} == {"analytics", "support", "finance"}
    versions = (await client.get(f"/api/v1/contracts/{current['id']}/versions")).json()["versions"]
    latest = max(versions, key=lambda v: v["created_at"])
    assert (latest["version"], latest["changed_by"]) == ("1.1.0", "octo-merger")
    assert gh.recorded("GET", f"/contents/{CONTRACT}")[0].query["ref"] == [after]
    assert sql("SELECT status, error FROM webhook_deliveries") == [("processed", None)]
    assert [r[0] for r in sql("SELECT event_type FROM event_outbox")] == ["contract_updated"]


async def test_a_contract_that_breaks_the_rules_on_main_is_recorded_and_alerted(
    gh: Any, kit: Any, webhook: Any, queue: Any, client: httpx.AsyncClient, registered: Any,
    sql: Any,
) -> None:  # fmt: skip
    breaking = kit.without_field(kit.orders_contract("1.1.0"), "notes")  # needs 2.0.0
    repo, before, after = merged(gh, kit, {CONTRACT: kit.yaml_of(breaking)})
    outcome = await push(webhook, queue, kit.push_body(repo, before, after, modified=[CONTRACT]))
    assert outcome.status == "rejected"
    assert (await contract(client))["version"] == "1.0.0"  # not silently accepted
    [(status, error)] = sql("SELECT status, error FROM webhook_deliveries")
    assert status == "rejected"
    assert error.startswith("orders: major version bump required (at least 2.0.0)")
    [(event_type, name, envelope)] = sql(
        "SELECT event_type, contract_name, envelope FROM event_outbox"
    )
    assert (event_type, name) == ("schema_drift", "orders")
    assert envelope["severity"] == "critical"
    payload = envelope["payload"]
    assert payload["check_type"] == "registry_sync" and payload["fields"] == ["notes"]
    assert payload["details"]["path"] == CONTRACT and payload["details"]["sha"] == after
    assert payload["contract_id"] == registered["id"]


async def test_new_contracts_are_created_and_one_refusal_does_not_undo_the_others(
    gh: Any, kit: Any, webhook: Any, queue: Any, client: httpx.AsyncClient, registered: Any,
    sql: Any,
) -> None:  # fmt: skip
    customers = {
        "name": "customers", "version": "1.0.0", "table": "crm.customers",
        "publisher": {"team": "crm", "owner": "crm-service"},
        "schema": [{"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True}],
    }  # fmt: skip
    stream = kit.yaml_of(customers, kit.orders_contract("1.0.1", description=None))
    broken = "name: refunds\nversion: one\n"
    repo, before, after = merged(
        gh, kit, {"crm/contract.yaml": stream, "refunds/refunds.contract.yaml": broken,
                  "docs/readme.md": "x"},
    )  # fmt: skip
    payload = kit.push_body(
        repo, before, after, added=["crm/contract.yaml", "refunds/refunds.contract.yaml",
                                    "docs/readme.md"],
    )  # fmt: skip
    outcome = await push(webhook, queue, payload)
    assert outcome.detail["created"] == ["customers"]
    assert outcome.detail["updated"] == ["orders"]
    assert [r["contract"] for r in outcome.detail["rejected"]] == ["refunds"]
    assert (await contract(client, "customers"))["version"] == "1.0.0"
    assert (await contract(client))["version"] == "1.0.1"
    events = sql("SELECT event_type, contract_name FROM event_outbox ORDER BY contract_name")
    assert ("schema_drift", "refunds") in events


async def test_the_same_push_again_changes_nothing(
    gh: Any, kit: Any, webhook: Any, queue: Any, client: httpx.AsyncClient, registered: Any
) -> None:
    repo, before, after = merged(gh, kit, {CONTRACT: kit.yaml_of(kit.orders_contract("1.0.1"))})
    payload = kit.push_body(repo, before, after, modified=[CONTRACT])
    assert (await push(webhook, queue, payload, "first")).detail["updated"] == ["orders"]
    again = await push(webhook, queue, payload, "second")  # a new delivery of the same push
    assert again.status == "processed" and again.detail["unchanged"] == ["orders"]


async def test_long_pushes_are_read_through_the_compare_api(
    gh: Any, kit: Any, webhook: Any, queue: Any, client: httpx.AsyncClient, registered: Any
) -> None:
    repo, before, after = merged(gh, kit, {CONTRACT: kit.yaml_of(kit.orders_contract("1.0.1"))})
    payload = kit.push_body(repo, before, after, commits=20)  # GitHub lists at most 20
    outcome = await push(webhook, queue, payload)
    assert len(gh.recorded("GET", f"/compare/{before}...{after}")) == 1
    assert outcome.detail["updated"] == ["orders"]
