"""Watchers: follow a contract, a team, or everything; validated, owned by their creator.
(Consent of the watched address: tests/security/test_watcher_consent.py.)"""

from __future__ import annotations

import uuid

import httpx
import pytest

from datapact_testing.tokens import bearer, publisher_token

URL = "/api/v1/watchers"


async def test_create_read_list_and_delete(
    api: httpx.AsyncClient, publisher_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    body = {
        "target": " Ana@Example.COM ",
        "contract_name": "orders",
        "event_types": ["schema_drift", "quality_breach", "schema_drift"],
    }
    created = await api.post(URL, json=body, headers=publisher_headers)
    assert created.status_code == 201, created.text
    watcher = created.json()
    assert watcher["target"] == "ana@example.com" and watcher["channel"] == "email"
    assert watcher["scope"] == "contract" and watcher["contract_name"] == "orders"
    assert watcher["event_types"] == ["schema_drift", "quality_breach"]
    assert watcher["created_by"] == "alice" and watcher["status"] == "pending"

    assert (await api.get(f"{URL}/{watcher['id']}", headers=admin_headers)).json() == watcher
    # Tokenless readers see the watcher without the address.
    assert (await api.get(f"{URL}/{watcher['id']}")).json()["target"] == "…@example.com"
    await api.post(
        URL, json={"target": "bob@example.com", "team": "sales"}, headers=publisher_headers
    )
    await api.post(URL, json={"target": "ana@example.com"}, headers=publisher_headers)

    everything = (await api.get(URL)).json()
    assert everything["total"] == 3 and everything["skip"] == 0 and everything["limit"] == 50
    assert {w["scope"] for w in everything["watchers"]} == {"contract", "team", "all"}
    mine = (await api.get(URL, params={"target": "ANA@example.com"}, headers=admin_headers)).json()
    assert mine["total"] == 2
    page = (await api.get(URL, params={"limit": 1, "skip": 1})).json()
    assert page["total"] == 3 and len(page["watchers"]) == 1

    assert (
        await api.delete(f"{URL}/{watcher['id']}", headers=publisher_headers)
    ).status_code == 204
    assert (await api.get(f"{URL}/{watcher['id']}")).status_code == 404
    assert (await api.get(URL, params={"status": "pending"})).json()["total"] == 2


async def test_slack_watchers_take_a_channel_name(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    # Slack is not configured in this process (the running platform's is: test_end_to_end).
    off = await api.post(
        URL, json={"channel": "slack", "target": "#data-alerts"}, headers=admin_headers
    )
    assert off.status_code == 422 and "SLACK_WEBHOOK_URL" in off.json()["detail"]
    bad = await api.post(
        URL,
        json={"channel": "slack", "target": "https://evil.example/hook"},
        headers=admin_headers,
    )
    assert bad.status_code == 422 and "Slack target" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"target": "not-an-email"}, "not a valid e-mail address"),
        ({"target": "a@example.com", "contract_name": "orders", "team": "sales"}, "not both"),
        ({"target": "a@example.com", "event_types": ["nope"]}, "event_types.0"),
        ({"target": "a@example.com", "contract_name": "Bad Name"}, "contract_name"),
        ({"target": "a@example.com", "channel": "pigeon"}, "channel"),
        ({"target": "a@example.com", "extra": 1}, "extra"),
        ({"target": "a\x00@example.com"}, "NUL"),
        ({}, "target"),
    ],
)
async def test_invalid_watchers_are_422_with_a_message(
    api: httpx.AsyncClient, publisher_headers: dict[str, str], body: dict[str, object], says: str
) -> None:
    response = await api.post(URL, json=body, headers=publisher_headers)
    assert response.status_code == 422, response.text
    assert says in response.json()["detail"], response.json()


async def test_the_same_subscription_twice_is_409(
    api: httpx.AsyncClient, publisher_headers: dict[str, str]
) -> None:
    body = {"target": "a@example.com", "team": "sales"}
    first = await api.post(URL, json=body, headers=publisher_headers)
    again = await api.post(URL, json={**body, "target": "A@example.com"}, headers=publisher_headers)
    assert again.status_code == 409
    assert again.json()["id"] == first.json()["id"]
    # Another scope for the same person is fine.
    other = await api.post(URL, json={"target": "a@example.com"}, headers=publisher_headers)
    assert other.status_code == 201


async def test_writes_need_a_token_and_only_the_creator_or_admin_removes(
    api: httpx.AsyncClient,
    publisher_headers: dict[str, str],
    admin_headers: dict[str, str],
    service_headers: dict[str, str],
) -> None:
    assert (await api.post(URL, json={"target": "a@example.com"})).status_code == 401
    created = (
        await api.post(URL, json={"target": "a@example.com"}, headers=publisher_headers)
    ).json()
    stranger = bearer(publisher_token("hr", sub="mallory"))
    refused = await api.delete(f"{URL}/{created['id']}", headers=stranger)
    assert refused.status_code == 403 and "alice" in refused.json()["detail"]
    # a service token (the monitor's, say, leaked) removes no one's watcher, by id or scope
    by_service = await api.delete(f"{URL}/{created['id']}", headers=service_headers)
    assert by_service.status_code == 403
    unwatch = {"target": "a@example.com"}
    assert (await api.delete(URL, params=unwatch, headers=service_headers)).status_code == 403
    assert (
        await api.post(URL, json={"target": "b@example.com"}, headers=service_headers)
    ).status_code == 403
    assert (await api.delete(f"{URL}/{created['id']}", headers=admin_headers)).status_code == 204
    assert (await api.delete(f"{URL}/{uuid.uuid4()}", headers=admin_headers)).status_code == 404


async def test_unwatch_by_subscription(
    api: httpx.AsyncClient, publisher_headers: dict[str, str]
) -> None:
    await api.post(
        URL, json={"target": "a@example.com", "contract_name": "orders"}, headers=publisher_headers
    )
    params = {"target": "A@example.com", "contract_name": "orders"}
    assert (await api.delete(URL, params=params, headers=publisher_headers)).status_code == 204
    again = await api.delete(URL, params=params, headers=publisher_headers)
    assert again.status_code == 404 and "does not watch" in again.json()["detail"]
    bad = await api.delete(URL, params={"target": "nope"}, headers=publisher_headers)
    assert bad.status_code == 422


async def test_bad_query_values_are_422_not_500(api: httpx.AsyncClient) -> None:
    for params in ({"limit": 0}, {"limit": 501}, {"skip": -1}, {"skip": 10**12}, {"team": "\x00"}):
        response = await api.get(URL, params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"].startswith("invalid request: ")
