"""The contract list's server-side order: `sort` (a fixed set of keys) and `order`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

# name: (team, version, fields, latest compliance per check type)
CONTRACTS: dict[str, tuple[str, str, int, dict[str, Any]]] = {
    "a_one": ("commerce", "1.10.0", 2, {"schema": "pass"}),
    "b_two": ("marketing", "1.9.0", 5, {"schema": "pass", "freshness": "fail"}),
    "c_three": ("commerce", "2.0.0", 3, {}),
    "d_four": ("marketing", "1.8.0", 2, {"schema": "warning", "freshness": "error"}),
    "e_five": ("commerce", "0.9.0", 4, {"schema": "bogus"}),
}
# d_four is deprecated, which makes it 1.9.0: the same version as b_two
UPDATED = ["e_five", "a_one", "d_four", "c_three", "b_two"]  # oldest first

EXPECTED = {
    "name": ["a_one", "b_two", "c_three", "d_four", "e_five"],
    "team": ["a_one", "c_three", "e_five", "b_two", "d_four"],
    "status": ["a_one", "b_two", "c_three", "e_five", "d_four"],  # d_four is deprecated
    "version": ["e_five", "b_two", "d_four", "a_one", "c_three"],  # 1.9.0 < 1.10.0
    "compliance": ["b_two", "d_four", "c_three", "e_five", "a_one"],  # fail, error, unknown, pass
    "fields": ["a_one", "d_four", "c_three", "e_five", "b_two"],
    "updated": UPDATED,
}
# descending: the key reversed, ties still by name ascending
EXPECTED_DESC = {
    "name": ["e_five", "d_four", "c_three", "b_two", "a_one"],
    "team": ["b_two", "d_four", "a_one", "c_three", "e_five"],
    "status": ["d_four", "a_one", "b_two", "c_three", "e_five"],
    "version": ["c_three", "a_one", "b_two", "d_four", "e_five"],
    "compliance": ["a_one", "c_three", "e_five", "d_four", "b_two"],
    "fields": ["b_two", "e_five", "c_three", "a_one", "d_four"],
    "updated": UPDATED[::-1],
}


@pytest.fixture
async def listed(
    client: httpx.AsyncClient, admin: dict[str, str], contract_factory: Any, sql: Any
) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for name, (team, version, fields, checks) in CONTRACTS.items():
        document = contract_factory(name, team=team, fields=fields, version=version)
        response = await client.post("/api/v1/contracts", json=document, headers=admin)
        assert response.status_code == 201, response.text
        latest = {
            check: {"status": status, "checked_at": base.isoformat(), "error_message": None}
            for check, status in checks.items()
        }
        sql(
            "UPDATE contracts SET compliance = %s::jsonb, updated_at = %s WHERE name = %s",
            json.dumps(latest),
            base + timedelta(hours=UPDATED.index(name)),
            name,
        )
    (contract_id,) = sql("SELECT id FROM contracts WHERE name = 'd_four'")[0]
    deprecated = await client.delete(f"/api/v1/contracts/{contract_id}", headers=admin)
    assert deprecated.status_code in (200, 204), deprecated.text
    sql(  # deprecating touched it: put it back in its place of the updated order
        "UPDATE contracts SET updated_at = %s WHERE name = 'd_four'",
        base + timedelta(hours=UPDATED.index("d_four")),
    )


async def _names(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get("/api/v1/contracts", params=params)
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["contracts"]]


@pytest.mark.usefixtures("listed")
async def test_every_sort_key_both_ways(client: httpx.AsyncClient) -> None:
    for key, names in EXPECTED.items():
        assert await _names(client, sort=key) == names, key
        assert await _names(client, sort=key, order="asc") == names, key
        assert await _names(client, sort=key, order="desc") == EXPECTED_DESC[key], key
    assert await _names(client) == EXPECTED["name"]  # the default
    assert await _names(client, order="desc") == EXPECTED_DESC["name"]


@pytest.mark.usefixtures("listed")
async def test_sorted_pages_follow_each_other_and_filters_apply(
    client: httpx.AsyncClient,
) -> None:
    for key in ("version", "compliance", "fields"):
        pages = [
            await _names(client, sort=key, order="desc", skip=skip, limit=2) for skip in (0, 2, 4)
        ]
        assert [name for page in pages for name in page] == EXPECTED_DESC[key], key
    assert await _names(client, sort="version", team="marketing") == ["b_two", "d_four"]
    assert await _names(client, sort="compliance", status="active", order="desc") == [
        "a_one",
        "c_three",
        "e_five",
        "b_two",
    ]


async def test_unknown_sort_or_order_is_422(client: httpx.AsyncClient) -> None:
    for params in ({"sort": "size"}, {"sort": "document_json"}, {"order": "up"}):
        response = await client.get("/api/v1/contracts", params=params)
        assert response.status_code == 422, params
        body = response.json()
        assert body["detail"] and body["errors"], body
    # keyset pages have their own order
    for name, value in (("sort", "name"), ("order", "desc")):
        params = {"updated_since": "2000-01-01T00:00:00Z", name: value}
        response = await client.get("/api/v1/contracts", params=params)
        assert response.status_code == 422, params
        body = response.json()
        assert "sort and order" in body["detail"]
        assert [e["loc"] for e in body["errors"]] == [f"query.{name}"]
