"""Conditional reads: a reader that holds a contract's current body gets a 304 with no body.

The tag covers the exact bytes, so a subscription or a compliance result (which change the
body but not the version) give a new tag, while `If-Match` still needs only the version.
"""

from __future__ import annotations

from typing import Any

import httpx

from datapact_common.timeutil import utcnow


async def test_the_same_body_is_a_304_with_no_body(
    client: httpx.AsyncClient, create: Any, sample_contract: dict[str, Any]
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    first = await client.get(url)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and tag.startswith('"1.0.0~')
    assert first.headers["Cache-Control"] == "private, no-cache"
    for header in (tag, f"W/{tag}", f'"1.0.0~0000000000000000", {tag}', "*"):
        again = await client.get(url, headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b"" and again.headers["ETag"] == tag
    by_name = f"/api/v1/contracts/name/{sample_contract['name']}"
    assert (await client.get(by_name, headers={"If-None-Match": tag})).status_code == 304
    for stale in ('"1.0.0"', '"1.0.0~0000000000000000"', 'W/"0.9.0"'):
        full = await client.get(url, headers={"If-None-Match": stale})
        assert full.status_code == 200 and full.json()["version"] == "1.0.0"


async def test_a_new_subscriber_or_result_changes_the_tag_not_the_version(
    client: httpx.AsyncClient,
    create: Any,
    sample_contract: dict[str, Any],
    other_team: dict[str, str],
    commerce: dict[str, str],
    service: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    tags = [(await client.get(url)).headers["ETag"]]
    joined = await client.post(f"{url}/subscribers", json={"team": "marketing"}, headers=other_team)
    assert joined.status_code == 201
    result = {"check_type": "schema", "status": "fail", "checked_at": utcnow().isoformat()}
    recorded = await client.post(f"{url}/compliance", json=result, headers=service)
    assert recorded.status_code == 201, recorded.text
    changed = await client.get(url, headers={"If-None-Match": tags[0]})
    assert changed.status_code == 200
    tags.append(changed.headers["ETag"])
    assert tags[1] != tags[0] and tags[1].startswith('"1.0.0~')
    assert (await client.get(url, headers={"If-None-Match": tags[1]})).status_code == 304
    edit = {**sample_contract, "version": "1.0.1", "description": "edited"}
    written = await client.put(url, json=edit, headers={**commerce, "If-Match": tags[0]})
    assert written.status_code == 200, written.text  # the version still matches
    assert written.headers["ETag"] == (await client.get(url)).headers["ETag"]


async def test_an_oversized_if_none_match_is_422(
    client: httpx.AsyncClient, create: Any, sample_contract: dict[str, Any]
) -> None:
    created = await create(sample_contract)
    response = await client.get(
        f"/api/v1/contracts/{created['id']}", headers={"If-None-Match": '"x"' * 400}
    )
    assert response.status_code == 422
    assert "If-None-Match" in response.text or "if-none-match" in response.text.lower()
