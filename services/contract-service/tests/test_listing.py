"""Listing: filters, offset pagination with totals, and the updated_since keyset cursor."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx


async def _create_many(
    client: httpx.AsyncClient, headers: dict[str, str], factory: Any, count: int
) -> list[dict[str, Any]]:
    created: list[dict[str, Any]] = []
    for start in range(0, count, 25):
        batch = [
            client.post(
                "/api/v1/contracts", json=factory(f"dataset_{i:03d}", fields=2), headers=headers
            )
            for i in range(start, min(start + 25, count))
        ]
        for response in await asyncio.gather(*batch):
            assert response.status_code == 201, response.text
            created.append(response.json())
    return created


async def _page_by_cursor(client: httpx.AsyncClient, params: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    query = dict(params)
    while True:
        response = await client.get("/api/v1/contracts", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [c["id"] for c in body["contracts"]]
        if body["next_cursor"] is None:
            return seen
        query = {**params, "cursor": body["next_cursor"]}


async def test_pagination_across_250_contracts(
    client: httpx.AsyncClient, commerce: dict[str, str], contract_factory: Any
) -> None:
    created = await _create_many(client, commerce, contract_factory, 250)
    names: list[str] = []
    skip = 0
    while True:
        response = await client.get("/api/v1/contracts", params={"skip": skip, "limit": 100})
        body = response.json()
        assert body["total"] == 250 and body["skip"] == skip and body["limit"] == 100
        names += [c["name"] for c in body["contracts"]]
        skip += 100
        if skip >= body["total"]:
            break
    assert names == sorted(c["name"] for c in created)  # ordered by name, none twice
    big = await client.get("/api/v1/contracts", params={"limit": 500})
    assert len(big.json()["contracts"]) == 250
    assert (await client.get("/api/v1/contracts", params={"limit": 501})).status_code == 422
    assert (await client.get("/api/v1/contracts", params={"limit": 0})).status_code == 422
    assert (await client.get("/api/v1/contracts", params={"skip": -1})).status_code == 422
    # keyset paging visits every contract once
    ids = await _page_by_cursor(client, {"updated_since": "2000-01-01T00:00:00Z", "limit": 37})
    assert sorted(ids) == sorted(c["id"] for c in created)
    assert len(ids) == len(set(ids))


async def test_cursor_skips_nothing_when_timestamps_are_equal(
    client: httpx.AsyncClient, commerce: dict[str, str], contract_factory: Any, sql: Any
) -> None:
    created = await _create_many(client, commerce, contract_factory, 30)
    same = datetime(2030, 1, 1, tzinfo=UTC)
    sql("UPDATE contracts SET updated_at = %s", same)
    ids = await _page_by_cursor(client, {"updated_since": same.isoformat(), "limit": 7})
    assert len(ids) == 30 and set(ids) == {c["id"] for c in created}
    # the order is (updated_at, id): ids ascending when the timestamps tie
    assert ids == sorted(ids)


async def test_updated_since_returns_changes_at_or_after_the_time(
    client: httpx.AsyncClient, commerce: dict[str, str], contract_factory: Any, sql: Any
) -> None:
    created = await _create_many(client, commerce, contract_factory, 5)
    base = datetime(2020, 5, 1, tzinfo=UTC)
    for offset, contract in enumerate(created):
        sql(
            "UPDATE contracts SET updated_at = %s WHERE id = %s",
            base + timedelta(minutes=offset),
            contract["id"],
        )
    since = (base + timedelta(minutes=2)).isoformat()
    response = await client.get("/api/v1/contracts", params={"updated_since": since, "limit": 2})
    body = response.json()
    assert body["total"] == 3  # minutes 2, 3, 4: the boundary is included
    assert [c["id"] for c in body["contracts"]] == [created[2]["id"], created[3]["id"]]
    rest = await client.get(
        "/api/v1/contracts",
        params={"updated_since": since, "limit": 2, "cursor": body["next_cursor"]},
    )
    assert [c["id"] for c in rest.json()["contracts"]] == [created[4]["id"]]
    assert rest.json()["next_cursor"] is None
    # an update moves a contract to the end of the sync order
    first = created[0]
    document = {
        k: v for k, v in first.items() if k not in {"id", "created_at", "updated_at", "compliance"}
    }
    document["version"] = "1.0.1"
    document["description"] = "touched"
    assert (
        await client.put(f"/api/v1/contracts/{first['id']}", json=document, headers=commerce)
    ).status_code == 200
    after = await client.get("/api/v1/contracts", params={"updated_since": since, "limit": 10})
    assert [c["id"] for c in after.json()["contracts"]][-1] == first["id"]


async def test_invalid_cursor_is_422(client: httpx.AsyncClient) -> None:
    for cursor in ("garbage", "eyJ0IjogMX0", "!!!"):
        response = await client.get("/api/v1/contracts", params={"cursor": cursor})
        assert response.status_code == 422, cursor
        assert "cursor" in response.json()["detail"]


async def test_filters_status_team_tag_and_text(
    client: httpx.AsyncClient,
    commerce: dict[str, str],
    admin: dict[str, str],
    contract_factory: Any,
) -> None:
    docs = [
        contract_factory("orders", tags=["sales", "gold"], description="Customer orders"),
        contract_factory("order_items", tags=["sales"]),
        contract_factory("campaigns", team="marketing", tags=["gold"]),
        contract_factory("web_sessions", team="marketing", description="Clickstream 100% sampled"),
    ]
    docs[3]["schema"].append({"name": "referrer_url", "data_type": "string"})
    ids = {}
    for doc in docs:
        response = await client.post("/api/v1/contracts", json=doc, headers=admin)
        assert response.status_code == 201, response.text
        ids[doc["name"]] = response.json()["id"]
    await client.delete(f"/api/v1/contracts/{ids['order_items']}", headers=admin)

    async def names(**params: Any) -> list[str]:
        response = await client.get("/api/v1/contracts", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["contracts"])
        return [c["name"] for c in body["contracts"]]

    assert await names() == ["campaigns", "order_items", "orders", "web_sessions"]
    assert await names(status="active") == ["campaigns", "orders", "web_sessions"]
    assert await names(status="deprecated") == ["order_items"]
    assert await names(team="marketing") == ["campaigns", "web_sessions"]
    assert await names(tag="gold") == ["campaigns", "orders"]
    assert await names(tag="sales", status="active") == ["orders"]
    assert await names(q="ORDER") == ["order_items", "orders"]  # name, case-insensitive
    assert await names(q="clickstream") == ["web_sessions"]  # description
    assert await names(q="referrer") == ["web_sessions"]  # field name
    assert await names(q="100%") == ["web_sessions"]  # LIKE wildcards are literal
    assert await names(q="r_i") == ["order_items"]
    assert await names(q="nothing-matches") == []
    assert (await client.get("/api/v1/contracts", params={"status": "retired"})).status_code == 422
