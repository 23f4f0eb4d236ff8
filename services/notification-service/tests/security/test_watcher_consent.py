"""Finding: any writer could make any address a watcher without that address agreeing.
Now a watcher added for someone else's address is pending, hears nothing, and the address
gets one confirmation e-mail (de-duplicated) whose link confirms it."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, create_token
from datapact_testing.tokens import bearer
from notification_service import links

URL = "/api/v1/watchers"
VICTIM = "victim@corp.example"
MALLORY = bearer(
    create_token(DEVELOPMENT_SECRET, "mallory", teams=["hr"], scopes=[Scope.CONTRACTS_WRITE])
)


def owner(email: str, sub: str = "victim") -> dict[str, str]:
    return bearer(
        create_token(DEVELOPMENT_SECRET, sub, email=email, scopes=[Scope.CONTRACTS_WRITE])
    )


def link(purpose: links.Purpose, address: str = VICTIM) -> dict[str, str]:
    return {links.HEADER: links.sign(DEVELOPMENT_SECRET, purpose, address, timedelta(days=1))}


def confirmations(db: Session, address: str = VICTIM) -> int:
    return int(
        db.scalar(
            text(
                "SELECT count(*) FROM notifications "
                "WHERE recipient = :a AND event_type = 'watch_confirmation'"
            ),
            {"a": address},
        )
        or 0
    )


async def test_a_watcher_for_someone_else_is_pending_and_asks_once(
    api: httpx.AsyncClient, db: Session
) -> None:
    scopes: list[dict[str, Any]] = [{"contract_name": f"contract_{i}"} for i in range(8)] + [
        {"team": "finance"},
        {},
    ]
    responses = await asyncio.gather(
        *(api.post(URL, json={"target": VICTIM, **scope}, headers=MALLORY) for scope in scopes)
    )
    assert [r.status_code for r in responses] == [201] * len(scopes)
    assert {r.json()["status"] for r in responses} == {"pending"}
    # Ten watchers added at once, one e-mail asking: a writer cannot flood a mailbox.
    assert confirmations(db) == 1
    body = db.scalar(
        text("SELECT body_text FROM notifications WHERE event_type = 'watch_confirmation'")
    )
    assert "asked by mallory" in body  # whichever request came first


async def test_an_admin_adding_someone_else_waits_for_them_too(
    api: httpx.AsyncClient, admin_headers: dict[str, str], db: Session
) -> None:
    created = await api.post(URL, json={"target": VICTIM}, headers=admin_headers)
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert confirmations(db) == 1


async def test_the_owner_adding_their_own_address_is_active_at_once(
    api: httpx.AsyncClient, db: Session
) -> None:
    created = await api.post(URL, json={"target": VICTIM.upper()}, headers=owner(VICTIM))
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "active" and created.json()["confirmed_at"]
    assert confirmations(db) == 0


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(MALLORY, id="its creator"),
        pytest.param(
            bearer(create_token(DEVELOPMENT_SECRET, "root", scopes=[Scope.ADMIN])), id="an admin"
        ),
        pytest.param(
            owner("mallory@corp.example", sub="mallory"), id="the owner of another address"
        ),
        pytest.param(link(links.Purpose.PREFERENCES), id="the victim's preferences link"),
        pytest.param(
            link(links.Purpose.WATCHERS, "mallory@corp.example"), id="another address's link"
        ),
    ],
)
async def test_only_the_address_confirms(api: httpx.AsyncClient, headers: dict[str, str]) -> None:
    watcher = (await api.post(URL, json={"target": VICTIM}, headers=MALLORY)).json()
    response = await api.post(f"{URL}/{watcher['id']}/confirm", headers=headers)
    assert response.status_code == 403, response.text
    assert (await api.post(f"{URL}/{watcher['id']}/confirm")).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(owner(VICTIM), id="owner token"),
        pytest.param(link(links.Purpose.WATCHERS), id="link"),
    ],
)
async def test_the_address_confirms_or_removes_what_others_added(
    api: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    first = (await api.post(URL, json={"target": VICTIM}, headers=MALLORY)).json()
    second = (await api.post(URL, json={"target": VICTIM, "team": "x"}, headers=MALLORY)).json()
    confirmed = await api.post(f"{URL}/{first['id']}/confirm", headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "active" and confirmed.json()["target"] == VICTIM
    assert (await api.delete(f"{URL}/{second['id']}", headers=headers)).status_code == 204
    mine = await api.get(URL, params={"target": VICTIM}, headers=headers)
    assert [w["id"] for w in mine.json()["watchers"]] == [first["id"]]


CONFIRM_LINK = re.compile(r"http://dashboard\.test/settings\?email=([^#\s]+)#watchers=(\S+)")


def test_pending_watchers_hear_nothing_until_the_e_mailed_link_confirms(
    live: Any, new_event: Any, new_contract: Any
) -> None:
    live.registry.register(new_contract(subscribers=[]))
    added = live.http.post(URL, json={"target": VICTIM, "contract_name": "orders"}, headers=MALLORY)
    assert added.status_code == 201 and added.json()["status"] == "pending"

    [asking] = live.mailbox.wait_for(1)
    assert asking["To"] == VICTIM and "Confirm" in asking["Subject"]
    text_part = asking.get_body(preferencelist=("plain",)).get_content()
    found = CONFIRM_LINK.search(text_part)
    assert found is not None, text_part
    token = found.group(2)

    drift = new_event("schema_drift", fields=["amount"], dedup_key="first")
    live.post_event(drift)
    assert [n["recipient"] for n in live.settled(drift["id"], count=1)] == ["owner@sales.example"]
    assert live.mailbox.to(VICTIM) == [asking]

    confirmed = live.http.post(f"{URL}/{added.json()['id']}/confirm", headers={links.HEADER: token})
    assert confirmed.status_code == 200, confirmed.text
    again = new_event("schema_drift", fields=["amount"], dedup_key="second")
    live.post_event(again)
    told = live.settled(again["id"], count=2)
    assert {n["recipient"] for n in told} == {"owner@sales.example", VICTIM}

    # The link went out with the e-mail; the stored copy, readable by others, lacks it.
    stored = live.notifications(recipient=VICTIM)
    asked = [n for n in stored if n["event_type"] == "watch_confirmation"]
    assert len(asked) == 1
    detail = live.http.get(f"/api/v1/notifications/{asked[0]['id']}").json()
    assert token not in detail["body_text"] and token not in (detail["body_html"] or "")
