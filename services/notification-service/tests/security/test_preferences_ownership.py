"""Finding: any write token could mute anyone's alerts (`PUT /api/v1/preferences/{any e-mail}`
had no ownership check). Now only the address's owner (email claim), an admin, or the
signed preferences link of an e-mail read or change them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, Service, create_token
from datapact_testing.tokens import bearer, internal_service_token
from notification_service import links

URL = "/api/v1/preferences"
VICTIM = "victim@corp.example"
MUTE_ALL = {"muted_types": ["schema_drift", "breaking_change_proposed"], "min_severity": "critical"}


def owner(email: str, **kwargs: Any) -> dict[str, str]:
    return bearer(create_token(DEVELOPMENT_SECRET, "someone", email=email, **kwargs))


def link(purpose: links.Purpose, address: str, ttl: timedelta = timedelta(days=1)) -> str:
    return links.sign(DEVELOPMENT_SECRET, purpose, address, ttl)


async def stored(api: httpx.AsyncClient, admin_headers: dict[str, str]) -> dict[str, Any]:
    response = await api.get(f"{URL}/{VICTIM}", headers=admin_headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(
            bearer(
                create_token(
                    DEVELOPMENT_SECRET, "mallory", teams=["sales"], scopes=[Scope.CONTRACTS_WRITE]
                )
            ),
            id="another team's write token",
        ),
        pytest.param(
            owner("mallory@corp.example", scopes=[Scope.CONTRACTS_WRITE]),
            id="a write token that owns another address",
        ),
        pytest.param(
            bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS)),
            id="a service token",
        ),
        pytest.param(
            {links.HEADER: link(links.Purpose.PREFERENCES, "mallory@corp.example")},
            id="the preferences link of another address",
        ),
        pytest.param(
            {links.HEADER: link(links.Purpose.WATCHERS, VICTIM)},
            id="the victim's watchers link (another purpose)",
        ),
    ],
)
async def test_nobody_else_mutes_an_address(
    api: httpx.AsyncClient, admin_headers: dict[str, str], headers: dict[str, str]
) -> None:
    response = await api.put(f"{URL}/{VICTIM}", json=MUTE_ALL, headers=headers)
    assert response.status_code == 403, response.text
    assert "owner" in response.json()["detail"]
    assert (await api.get(f"{URL}/{VICTIM}", headers=headers)).status_code == 403
    assert (await stored(api, admin_headers))["stored"] is False


async def test_without_any_credential_it_is_401(api: httpx.AsyncClient) -> None:
    for response in (
        await api.get(f"{URL}/{VICTIM}"),
        await api.put(f"{URL}/{VICTIM}", json=MUTE_ALL),
    ):
        assert response.status_code == 401, response.text
        assert links.HEADER in response.json()["detail"]


async def test_the_owner_reads_and_changes_them(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    mine = owner("Victim@Corp.example")  # claims are lower-cased like the addresses
    response = await api.put(f"{URL}/{VICTIM.upper()}", json=MUTE_ALL, headers=mine)
    assert response.status_code == 200, response.text
    assert response.json()["updated_by"] == "someone"
    assert (await api.get(f"{URL}/{VICTIM}", headers=mine)).json()["min_severity"] == "critical"


async def test_an_admin_reads_and_changes_them(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await api.put(f"{URL}/{VICTIM}", json={"digest": False}, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert (await stored(api, admin_headers))["digest"] is False


async def test_the_signed_link_reads_and_changes_them_without_a_token(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    headers = {links.HEADER: link(links.Purpose.PREFERENCES, VICTIM)}
    assert (await api.get(f"{URL}/{VICTIM}", headers=headers)).status_code == 200
    response = await api.put(f"{URL}/{VICTIM}", json=MUTE_ALL, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["updated_by"] == f"link:{VICTIM}"


def _forged(claims: dict[str, Any], key: bytes | str) -> str:
    return jwt.encode(claims, key, algorithm="HS256")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (link(links.Purpose.PREFERENCES, VICTIM, ttl=timedelta(seconds=-1)), "expired"),
        (link(links.Purpose.PREFERENCES, VICTIM)[:-3] + "AAA", "Signature"),
        # an API token is no link (another key), even an admin's
        (create_token(DEVELOPMENT_SECRET, "root", scopes=[Scope.ADMIN]), "invalid link"),
        # a link signed with the API key itself (the key is derived for links alone)
        (
            _forged(
                {"iss": links.ISSUER, "aud": "preferences", "sub": VICTIM, "exp": 2**32},
                DEVELOPMENT_SECRET,
            ),
            "Signature",
        ),
        ("x" * 3000, "too long"),
    ],
)
async def test_a_bad_link_is_401(api: httpx.AsyncClient, value: str, says: str) -> None:
    response = await api.put(f"{URL}/{VICTIM}", json=MUTE_ALL, headers={links.HEADER: value})
    assert response.status_code == 401, response.text
    assert says in response.json()["detail"]


async def test_a_link_is_no_api_token(api: httpx.AsyncClient) -> None:
    headers = bearer(link(links.Purpose.PREFERENCES, VICTIM))
    response = await api.put(f"{URL}/{VICTIM}", json=MUTE_ALL, headers=headers)
    assert response.status_code == 401, response.text


LINK = re.compile(r"http://dashboard\.test/settings\?email=([^#\s]+)#preferences=(\S+)")


def test_every_email_carries_a_working_link_that_is_never_stored(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    live.registry.register(new_contract(subscribers=[]))
    event = new_event("schema_drift", fields=["amount"])
    assert live.post_event(event).status_code == 202
    [notification] = live.settled(event["id"], count=1)
    [message] = live.mailbox.wait_for(1)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    found = LINK.search(text)
    assert found is not None, text
    address, token = found.groups()
    assert address == "owner@sales.example" and token in html

    headers = {links.HEADER: token}
    response = live.http.put(f"{URL}/{address}", json={"digest": False}, headers=headers)
    assert response.status_code == 200, response.text
    # for that address only
    assert live.http.get(f"{URL}/{VICTIM}", headers=headers).status_code == 403

    stored_copy = live.http.get(f"/api/v1/notifications/{notification['id']}").json()
    assert token not in stored_copy["body_text"] and token not in (stored_copy["body_html"] or "")
