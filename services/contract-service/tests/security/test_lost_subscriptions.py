"""Finding: a contract update silently deleted subscriptions.

`PUT /contracts/{id}` replaced the subscriber list with the one in the body, even a stale
one: with 20 teams subscribing while the publisher PUT a new version, 17 of the 20
subscriptions vanished, every request answered 2xx. Subscriptions now belong to the
subscribing teams (a document's list is not applied on update), and writes carry the
version they are based on (`If-Match`), so a stale write is a 412 saying what changed.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx

from datapact_testing.processes import ServiceProcess


async def test_twenty_subscribes_during_a_publisher_update_lose_nothing(
    api_server: ServiceProcess,
    clean_db: str,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
    admin: dict[str, str],
) -> None:
    async with httpx.AsyncClient(base_url=api_server.base_url, timeout=120) as client:
        created = await client.post("/api/v1/contracts", json=sample_contract, headers=commerce)
        url = f"/api/v1/contracts/{created.json()['id']}"
        stale = copy.deepcopy(sample_contract)  # what the publisher read: no subscribers
        updates = [
            {**stale, "version": f"1.{minor}.0", "description": f"release {minor}"}
            for minor in range(1, 4)
        ]
        joins = [
            client.post(f"{url}/subscribers", json={"team": f"team_{i:02d}"}, headers=admin)
            for i in range(20)
        ]
        puts = [client.put(url, json=doc, headers=commerce) for doc in updates]
        responses = await asyncio.gather(*joins, *puts)
        final = (await client.get(url)).json()
        listed = (await client.get(f"{url}/subscribers")).json()["subscribers"]
    assert [r.status_code for r in responses[:20]] == [201] * 20
    assert {r.status_code for r in responses[20:]} <= {200, 409}
    teams = [f"team_{i:02d}" for i in range(20)]
    assert sorted(s["team"] for s in listed) == teams
    assert sorted(s["team"] for s in final["subscribers"]) == teams
    assert final["version"] != "1.0.0"


async def test_a_stale_or_missing_subscriber_list_is_not_applied(
    client: httpx.AsyncClient,
    create: Any,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
    other_team: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    joined = await client.post(f"{url}/subscribers", json={"team": "marketing"}, headers=other_team)
    assert joined.status_code == 201
    omitted = await client.put(url, json={**sample_contract, "version": "1.0.1"}, headers=commerce)
    assert omitted.status_code == 200
    assert [s["team"] for s in omitted.json()["subscribers"]] == ["marketing"]
    assert "DataPact-Notice" not in omitted.headers  # no list sent, nothing to say
    stale = {**sample_contract, "version": "1.0.2", "subscribers": [{"team": "commerce"}]}
    replaced = await client.put(url, json=stale, headers=commerce)
    assert replaced.status_code == 200
    assert [s["team"] for s in replaced.json()["subscribers"]] == ["marketing"]
    assert "subscribers were not applied" in replaced.headers["DataPact-Notice"]
    listed = (await client.get(f"{url}/subscribers")).json()["subscribers"]
    assert [s["team"] for s in listed] == ["marketing"]


async def test_writes_based_on_an_old_version_are_412_with_what_changed(
    client: httpx.AsyncClient,
    create: Any,
    sample_contract: dict[str, Any],
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    read = await client.get(url)
    assert read.headers["ETag"].startswith('"1.0.0~')
    by_name = await client.get(f"/api/v1/contracts/name/{sample_contract['name']}")
    assert by_name.headers["ETag"] == read.headers["ETag"]
    first = {**sample_contract, "version": "1.1.0", "description": "first writer"}
    written = await client.put(url, json=first, headers={**commerce, "If-Match": '"1.0.0"'})
    assert written.status_code == 200, written.text
    assert written.headers["ETag"].startswith('"1.1.0~')
    second = {**sample_contract, "version": "1.1.0", "description": "second writer"}
    stale = await client.put(url, json=second, headers={**commerce, "If-Match": '"1.0.0"'})
    assert stale.status_code == 412
    body = stale.json()
    assert body["current_version"] == "1.1.0" and body["expected_version"] == "1.0.0"
    assert "changed since you read it" in body["detail"]
    assert [c["path"] for c in body["changes"]] == ["description"]
    assert (await client.get(url)).json()["description"] == "first writer"
    deprecated = await client.delete(url, headers={**commerce, "If-Match": '"1.0.0"'})
    assert deprecated.status_code == 412
    for minor, if_match in enumerate(('"{v}"', "*", '"0.9.0", "{v}"', "{tag}"), start=1):
        current = f"1.{minor}.0"
        again = {**second, "version": f"1.{minor + 1}.0"}
        tag = (await client.get(url)).headers["ETag"]  # a body's tag names its version too
        header = {"If-Match": if_match.format(v=current, tag=tag)}
        response = await client.put(url, json=again, headers={**commerce, **header})
        assert response.status_code == 200, (if_match, response.text)
