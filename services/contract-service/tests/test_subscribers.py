"""Subscribers register, update and leave; fields_used must exist; no new versions."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from datapact_testing.tokens import bearer, publisher_token

ANALYTICS = bearer(publisher_token("analytics", sub="ana"))


async def test_register_update_leave(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, sql: Any
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/subscribers"
    joined = await client.post(
        url,
        json={"team": "analytics", "use_case": "revenue dashboards", "fields_used": ["total"],
              "contact_email": "bi@example.com"},
        headers=ANALYTICS,
    )  # fmt: skip
    assert joined.status_code == 201, joined.text
    assert joined.json()["fields_used"] == ["total"]

    listed = (await client.get(url)).json()
    assert listed["name"] == "test_orders"
    assert [s["team"] for s in listed["subscribers"]] == ["analytics"]
    contract = (await client.get(f"/api/v1/contracts/{created['id']}")).json()
    assert contract["subscribers"] == [
        {"team": "analytics", "use_case": "revenue dashboards", "fields_used": ["total"],
         "contact_email": "bi@example.com"}
    ]  # fmt: skip
    assert contract["version"] == "1.0.0"
    assert contract["updated_at"] > created["updated_at"]  # the dictionary's sync sees it

    changed = await client.put(
        f"{url}/analytics", json={"use_case": "forecasting", "fields_used": ["order_id", "total"]},
        headers=ANALYTICS,
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["use_case"] == "forecasting"
    assert changed.json()["subscribed_at"] == joined.json()["subscribed_at"]
    contract = (await client.get(f"/api/v1/contracts/{created['id']}")).json()
    assert contract["subscribers"][0]["fields_used"] == ["order_id", "total"]
    assert contract["subscribers"][0]["contact_email"] is None

    left = await client.delete(f"{url}/analytics", headers=ANALYTICS)
    assert left.status_code == 204
    assert (await client.get(url)).json()["subscribers"] == []
    assert (await client.get(f"/api/v1/contracts/{created['id']}")).json()["subscribers"] == []
    assert sql("SELECT count(*) FROM contract_versions") == [(1,)]  # never a new version


async def test_fields_used_must_name_existing_fields(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/subscribers"
    response = await client.post(
        url, json={"team": "analytics", "fields_used": ["total", "tax"]}, headers=ANALYTICS
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": "fields_used.1",
            "message": "'tax' is not a field of 'test_orders'",
            "type": "unknown_field",
        }
    ]
    assert (
        await client.post(url, json={"team": "analytics"}, headers=ANALYTICS)
    ).status_code == 201
    update = await client.put(f"{url}/analytics", json={"fields_used": ["nope"]}, headers=ANALYTICS)
    assert update.status_code == 422


async def test_fields_used_names_each_field_once(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/subscribers"
    twice = {"team": "analytics", "fields_used": ["total", "total"]}
    response = await client.post(url, json=twice, headers=ANALYTICS)
    assert response.status_code == 422
    assert "fields_used lists total more than once" in response.json()["detail"]
    assert (
        await client.post(url, json={"team": "analytics"}, headers=ANALYTICS)
    ).status_code == 201
    update = await client.put(
        f"{url}/analytics", json={"fields_used": ["total", "order_id", "total"]}, headers=ANALYTICS
    )
    assert update.status_code == 422
    assert update.json()["errors"] == [
        {"loc": "fields_used.2", "message": "'total' is listed more than once",
         "type": "duplicate_field"}
    ]  # fmt: skip
    stored = (await client.get(f"{url}")).json()
    assert [s["fields_used"] for s in stored["subscribers"]] == [[]]


async def test_invalid_subscriber_bodies(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/subscribers"
    for body, loc in (
        ({"use_case": "x"}, "team"),
        ({"team": "analytics", "contact_email": "not-an-email"}, "contact_email"),
        ({"team": "analytics", "colour": "red"}, "colour"),
        ({"team": "analytics", "fields_used": "total"}, "fields_used"),
    ):
        response = await client.post(url, json=body, headers=ANALYTICS)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["loc"] == loc
    yaml_body = await client.post(
        url, content="team: analytics\nfields_used: [total]\n",
        headers={**ANALYTICS, "content-type": "application/yaml"},
    )  # fmt: skip
    assert yaml_body.status_code == 201
    mismatch = await client.put(f"{url}/analytics", json={"team": "finance"}, headers=ANALYTICS)
    assert mismatch.status_code == 422


async def test_duplicate_and_missing_subscriptions(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/subscribers"
    assert (
        await client.post(url, json={"team": "analytics"}, headers=ANALYTICS)
    ).status_code == 201
    again = await client.post(url, json={"team": "analytics"}, headers=ANALYTICS)
    assert again.status_code == 409 and "already subscribes" in again.json()["detail"]
    assert (
        await client.put(f"{url}/finance", json={}, headers=bearer(publisher_token("finance")))
    ).status_code == 404
    assert (
        await client.delete(f"{url}/finance", headers=bearer(publisher_token("finance")))
    ).status_code == 404


@pytest.mark.parametrize("team", ["data/eng", "a/b/c", "ops team?", "r&d #1"])
async def test_a_team_name_with_url_characters_can_update_and_leave(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, team: str
) -> None:
    """Before: a team with a '/' could subscribe but PUT/DELETE .../subscribers/{team} were
    404 "Not Found" for ever (even percent-encoded): the subscription could not be left."""
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/subscribers"
    headers = bearer(publisher_token(team))
    joined = await client.post(url, json={"team": team}, headers=headers)
    assert joined.status_code == 201, joined.text
    member = f"{url}/{quote(team, safe='')}"
    changed = await client.put(member, json={"use_case": "reports"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["team"] == team and changed.json()["use_case"] == "reports"
    assert (await client.delete(member, headers=headers)).status_code == 204
    assert (await client.get(url)).json()["subscribers"] == []
    gone = await client.delete(member, headers=headers)
    assert gone.status_code == 404 and team in gone.json()["detail"]


async def test_who_may_manage_a_subscription(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    other_team: dict[str, str],
    admin: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/subscribers"
    # another team cannot subscribe someone else
    assert (
        await client.post(url, json={"team": "analytics"}, headers=other_team)
    ).status_code == 403
    # the publisher team and admins can
    assert (await client.post(url, json={"team": "analytics"}, headers=commerce)).status_code == 201
    assert (
        await client.put(f"{url}/analytics", json={"use_case": "x"}, headers=other_team)
    ).status_code == 403
    assert (
        await client.put(f"{url}/analytics", json={"use_case": "x"}, headers=admin)
    ).status_code == 200
    assert (await client.delete(f"{url}/analytics", headers=other_team)).status_code == 403
    assert (await client.delete(f"{url}/analytics", headers=ANALYTICS)).status_code == 204


async def test_deprecated_contract_takes_no_new_subscribers(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    await client.delete(f"/api/v1/contracts/{created['id']}", headers=commerce)
    response = await client.post(
        f"/api/v1/contracts/{created['id']}/subscribers",
        json={"team": "analytics"},
        headers=ANALYTICS,
    )
    assert response.status_code == 409 and "deprecated" in response.json()["detail"]


async def test_subscribers_survive_a_contract_update_that_keeps_them(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    await client.post(
        f"{url}/subscribers",
        json={"team": "analytics", "fields_used": ["total"]},
        headers=ANALYTICS,
    )
    current = (await client.get(url)).json()
    current["version"] = "1.0.1"
    current["description"] = "clarified"
    updated = await client.put(url, json=current, headers=commerce)
    assert updated.status_code == 200
    subscribers = (await client.get(f"{url}/subscribers")).json()["subscribers"]
    assert [s["team"] for s in subscribers] == ["analytics"]
