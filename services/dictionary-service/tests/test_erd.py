"""The ERD as React Flow JSON: dataset nodes, FK edges (existing and missing), subscribers."""

from __future__ import annotations

import re
from typing import Any

import pytest


async def erd(client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/erd", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def node_ids(graph: dict[str, Any]) -> set[str]:
    return {n["id"] for n in graph["nodes"]}


def fk_edges(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in graph["edges"] if e["type"] == "foreign_key"}


async def test_whole_graph(client, load, acme_contracts):
    await load(*acme_contracts)
    graph = await erd(client)
    assert graph["truncated"] is False and graph["message"] is None
    assert graph["total_datasets"] == len(acme_contracts)
    datasets = [n for n in graph["nodes"] if n["type"] == "dataset"]
    assert len(datasets) == len(acme_contracts)
    orders = next(n for n in datasets if n["id"] == "dataset:orders")
    assert orders["position"] == {"x": 0.0, "y": 0.0}
    fields = {f["name"]: f for f in orders["data"]["fields"]}
    assert fields["order_id"]["is_primary_key"] is True
    assert fields["customer_id"]["is_foreign_key"] is True
    assert fields["customer_id"]["references"] == "customers.customer_id"

    edge = fk_edges(graph)["fk:orders.customer_id"]
    assert (edge["source"], edge["target"], edge["label"]) == (
        "dataset:orders", "dataset:customers", "customer_id",
    )  # fmt: skip
    assert edge["missing"] is False and edge["data"]["cardinality"] == "many-to-one"
    # every edge joins two nodes of the graph
    ids = node_ids(graph)
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    customers = next(n for n in datasets if n["id"] == "dataset:customers")
    assert {f["name"] for f in customers["data"]["fields"] if f["is_pii"]} >= {"email"}


async def test_subscriber_edges_come_from_team_nodes(client, load, acme_contracts):
    await load(*acme_contracts)
    graph = await erd(client)
    subscriptions = [e for e in graph["edges"] if e["type"] == "subscription"]
    assert {"team:marketing", "team:analytics", "team:finance"} <= {
        e["source"] for e in subscriptions
    }
    coupons = next(e for e in subscriptions if e["id"] == "sub:marketing->orders")
    assert coupons["target"] == "dataset:orders"
    assert coupons["label"] == "Coupon effectiveness"
    assert coupons["data"]["fields_used"] == ["order_id", "coupon_code"]
    team_nodes = [n for n in graph["nodes"] if n["type"] == "team"]
    assert {n["data"]["name"] for n in team_nodes} == {e["data"]["team"] for e in subscriptions}


async def test_foreign_key_to_a_missing_dataset(client, load, helpers):
    c, f = helpers.contract, helpers.field
    await load(
        c("tickets", [
            f("ticket_id", "uuid", nullable=False, is_primary_key=True),
            f("agent_id", "uuid", is_foreign_key=True, foreign_key_reference="agents.agent_id"),
            f("parent_id", "uuid", is_foreign_key=True, foreign_key_reference="tickets.nope"),
        ]),
    )  # fmt: skip
    graph = await erd(client)
    edges = fk_edges(graph)
    missing = edges["fk:tickets.agent_id"]
    assert missing["missing"] is True and missing["target"] == "dataset:agents"
    agents = next(n for n in graph["nodes"] if n["id"] == "dataset:agents")
    assert agents["data"]["missing"] is True and agents["data"]["fields"] == []
    own = edges["fk:tickets.parent_id"]
    assert own["missing"] is False and own["data"]["missing_field"] is True
    assert own["data"]["optional"] is True


async def test_filter_by_team(client, load, acme_contracts):
    await load(*acme_contracts)
    graph = await erd(client, team="payments")
    datasets = {n["id"] for n in graph["nodes"] if n["type"] == "dataset"}
    # the team's own datasets, plus what their foreign keys point at
    assert {"dataset:payments", "dataset:refunds", "dataset:invoices"} <= datasets
    assert "dataset:orders" in datasets
    assert "dataset:warehouses" not in datasets
    sources = {e["source"] for e in fk_edges(graph).values()}
    assert sources <= {"dataset:payments", "dataset:refunds", "dataset:invoices"}
    nobody = await erd(client, team="no-such-team")
    assert nobody == {
        "nodes": [], "edges": [], "total_datasets": 0, "truncated": False, "message": None,
    }  # fmt: skip


async def test_filter_by_dataset_and_depth(client, load, acme_contracts):
    await load(*acme_contracts)
    one = await erd(client, dataset="payments", depth=1)
    assert {n["id"] for n in one["nodes"] if n["type"] == "dataset"} == {
        "dataset:payments", "dataset:orders", "dataset:refunds",
    }  # fmt: skip
    ids = node_ids(one)
    assert all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    two = await erd(client, dataset="payments", depth=2)
    two_ids = {n["id"] for n in two["nodes"] if n["type"] == "dataset"}
    assert {"dataset:customers", "dataset:order_items", "dataset:invoices"} <= two_ids
    # with a team: only the neighbours that team publishes or subscribes to
    mine = await erd(client, dataset="orders", depth=1, team="payments")
    assert {n["id"] for n in mine["nodes"] if n["type"] == "dataset"} == {
        "dataset:orders", "dataset:payments", "dataset:invoices",
    }  # fmt: skip
    alone = await erd(client, dataset="payments", depth=0)
    assert {n["id"] for n in alone["nodes"] if n["type"] == "dataset"} == {"dataset:payments"}


async def test_bad_filters(client, load, acme_contracts):
    await load(*acme_contracts)
    unknown = await client.get("/api/v1/erd", params={"dataset": "ghosts"})
    assert unknown.status_code == 404
    deep = await client.get("/api/v1/erd", params={"dataset": "orders", "depth": 99})
    assert deep.status_code == 422


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from dictionary_service.config import get_settings

    monkeypatch.setattr(get_settings(), "erd_max_datasets", 4)
    monkeypatch.setattr(get_settings(), "erd_max_fields", 1000)


async def test_a_large_selection_is_cut_and_says_how_to_filter(
    client, load, acme_contracts, small_limits
):
    await load(*acme_contracts)
    graph = await erd(client)
    datasets = sorted(n["data"]["name"] for n in graph["nodes"] if n["type"] == "dataset")
    everything = sorted(c["name"] for c in acme_contracts)
    assert datasets == everything[:4]  # the first by name
    assert graph["truncated"] is True and graph["total_datasets"] == len(acme_contracts)
    assert f"showing 4 of {len(acme_contracts)} datasets" in graph["message"]
    assert "?team=" in graph["message"] and "?dataset=" in graph["message"]
    ids = node_ids(graph)
    # no edge into a dataset that was left out, and none drawn as "missing" for it
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    assert not any(n["data"].get("missing") for n in graph["nodes"] if n["type"] == "dataset")

    text = (await client.get("/api/v1/erd/mermaid")).text
    assert text.splitlines()[1].startswith(f"    %% showing 4 of {len(acme_contracts)}")
    assert len(re.findall(r'^    "\w+" \{$', text, re.MULTILINE)) == 4


async def test_the_focal_dataset_is_drawn_first_when_cut(
    client, load, acme_contracts, small_limits
):
    await load(*acme_contracts)
    graph = await erd(client, dataset="warehouses", depth=5)
    names = {n["data"]["name"] for n in graph["nodes"] if n["type"] == "dataset"}
    assert "warehouses" in names and len(names) <= 4


async def test_the_field_cap_holds_too(client, load, helpers, monkeypatch):
    from dictionary_service.config import get_settings

    monkeypatch.setattr(get_settings(), "erd_max_fields", 25)
    c, f = helpers.contract, helpers.field
    await load(*(c(f"wide_{i}", [f(f"c{j}") for j in range(10)]) for i in range(5)))
    graph = await erd(client)
    shown = [n for n in graph["nodes"] if n["type"] == "dataset"]
    assert len(shown) == 2 and graph["truncated"] is True  # 3 x 10 fields > 25
    one = await erd(client, dataset="wide_4", depth=0)
    assert len(one["nodes"]) == 1  # always at least the dataset asked for
