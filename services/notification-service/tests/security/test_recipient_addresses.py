"""Finding: the notification list (open to tokenless readers) showed every recipient's
address, a directory of who hears about what. Addresses are now shown to admin and service
tokens and to whoever speaks for the address; everyone else sees ``…@domain``, and filtering
by an address needs the right to see it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from datapact_common.events import EventEnvelope
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, create_token
from datapact_testing.tokens import bearer
from notification_service import links
from notification_service.config import get_settings
from notification_service.database import sync_sessionmaker
from notification_service.events.models import Event
from notification_service.events.processing import process
from notification_service.recipients.contract import ContractView

URL = "/api/v1/notifications"
FINANCE = "finance@corp.example"


@pytest.fixture
def history(clean: str, new_event: Any, new_contract: Any) -> None:
    with sync_sessionmaker()() as session, session.begin():
        row = Event(**EventEnvelope.model_validate(new_event("schema_drift")).model_dump())
        session.add(row)
        session.flush()
        process(session, row, ContractView.from_document(new_contract()), get_settings())


def recipients(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {n["recipient"] for n in response.json()["notifications"]}


ALL = {"owner@sales.example", FINANCE, "marketing@corp.example", "bi@corp.example"}
MASKED = {"…@sales.example", "…@corp.example"}


async def test_tokenless_and_other_readers_see_masked_addresses(
    api: httpx.AsyncClient, history: None, publisher_headers: dict[str, str]
) -> None:
    assert recipients(await api.get(URL)) == MASKED
    assert recipients(await api.get(URL, headers=publisher_headers)) == MASKED
    some = (await api.get(URL, params={"limit": 1})).json()["notifications"][0]
    detail = await api.get(f"{URL}/{some['id']}")
    assert detail.json()["recipient"].startswith("…@")


async def test_admins_see_them_and_services_do_not(
    api: httpx.AsyncClient,
    history: None,
    admin_headers: dict[str, str],
    service_headers: dict[str, str],
) -> None:
    assert recipients(await api.get(URL, headers=admin_headers)) == ALL
    # no service reads recipients: a service token (leaked or not) does not unmask them
    assert recipients(await api.get(URL, headers=service_headers)) == MASKED


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(bearer(create_token(DEVELOPMENT_SECRET, "fin", email=FINANCE)), id="token"),
        pytest.param(
            {
                links.HEADER: links.sign(
                    DEVELOPMENT_SECRET, links.Purpose.PREFERENCES, FINANCE, timedelta(days=1)
                )
            },
            id="e-mail link",
        ),
    ],
)
async def test_an_owner_sees_their_own_address_only(
    api: httpx.AsyncClient, history: None, headers: dict[str, str]
) -> None:
    assert recipients(await api.get(URL, headers=headers)) == {FINANCE, *MASKED}
    mine = await api.get(URL, params={"recipient": FINANCE}, headers=headers)
    assert recipients(mine) == {FINANCE}
    others = await api.get(URL, params={"recipient": "bi@corp.example"}, headers=headers)
    assert others.status_code == 403


async def test_filtering_by_an_address_is_no_oracle(
    api: httpx.AsyncClient, history: None, publisher_headers: dict[str, str]
) -> None:
    assert (await api.get(URL, params={"recipient": FINANCE})).status_code == 401
    refused = await api.get(URL, params={"recipient": FINANCE}, headers=publisher_headers)
    assert refused.status_code == 403 and "masked" in refused.json()["detail"]
    # an address nobody was told: the same answer, so it tells nothing either
    unknown = await api.get(
        URL, params={"recipient": f"{uuid.uuid4().hex}@x.example"}, headers=publisher_headers
    )
    assert unknown.status_code == 403


async def test_watcher_targets_are_masked_the_same_way(
    api: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    own = bearer(
        create_token(DEVELOPMENT_SECRET, "fin", email=FINANCE, scopes=[Scope.CONTRACTS_WRITE])
    )
    assert (await api.post("/api/v1/watchers", json={"target": FINANCE}, headers=own)).is_success
    listed = (await api.get("/api/v1/watchers")).json()["watchers"]
    assert [w["target"] for w in listed] == ["…@corp.example"]
    assert (await api.get("/api/v1/watchers", params={"target": FINANCE})).status_code == 401
    seen = (await api.get("/api/v1/watchers", headers=own)).json()["watchers"]
    assert [w["target"] for w in seen] == [FINANCE]
