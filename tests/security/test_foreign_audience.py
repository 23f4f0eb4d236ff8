"""The monitor's token captured by a data service opens no DataPact API.

A team registers a contract whose endpoint is its own listener and presses "run now": what
the monitor sends it is a credential for that origin (``aud`` = the data service's origin).
Signed here with the platform's own secret — the worst case — it is still refused with 401
and the reason on every route of every DataPact API, the data agent's included; and so are a
token without ``aud`` and each service's token presented to an API it was not minted for.
"""

from __future__ import annotations

import time
from datetime import timedelta

import jwt
import pytest

from datapact_common.data_service_credentials import mint as mint_data_service_credential
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, Service, service_token
from datapact_testing.tokens import bearer
from tests.security.conftest import Client

APIS = [Service.CONTRACTS, Service.NOTIFICATIONS, Service.DICTIONARY, Service.MONITOR]
ORIGIN = "http://data.internal:8443"
# Routes that read no token at all: the liveness probe, and GitHub's webhook (its own
# HMAC signature, refused with 401 when absent).
NO_TOKEN_READ = {"GET /health"}
OWN_SIGNATURE = {"POST /api/v1/webhooks/github"}


def _forged(**claims: object) -> dict[str, str]:
    now = int(time.time())
    payload: dict[str, object] = {
        "sub": "service:compliance-monitor",
        "scopes": [Scope.SERVICE.value],
        "teams": [],
        "iss": "datapact",
        "iat": now,
        "exp": now + int(timedelta(minutes=5).total_seconds()),
    }
    payload.update(claims)
    return bearer(jwt.encode(payload, DEVELOPMENT_SECRET, algorithm="HS256"))


HOSTILE = {
    # what the monitor really sends a data service: signed with a key derived for that origin
    "the monitor's data-service credential": (
        bearer(mint_data_service_credential(DEVELOPMENT_SECRET, ORIGIN)),
        "invalid",
    ),
    "the data service's origin": (_forged(aud=ORIGIN), "not meant for the"),
    "a list naming the origin": (_forged(aud=[ORIGIN]), "not meant for the"),
    "no audience at all": (_forged(), "names no audience"),
    "an admin token for the origin": (
        _forged(sub="mallory", scopes=["admin"], aud=ORIGIN),
        "not meant for the",
    ),
}


@pytest.mark.parametrize("api", [*APIS, Service.DATA_SERVICE], ids=lambda s: s.value)
@pytest.mark.parametrize("hostile", list(HOSTILE), ids=lambda h: h.replace(" ", "-"))
async def test_every_route_refuses_a_token_for_another_audience(
    client: Client, api: Service, hostile: str
) -> None:
    headers, reason = HOSTILE[hostile]
    async with client(api) as app:
        checked = 0
        for call in app.calls:
            if str(call) in NO_TOKEN_READ:
                continue
            response = await app.http.request(call.method, call.url, headers=headers, json={})
            assert response.status_code == 401, f"{call}: {response.status_code} {response.text}"
            if str(call) not in OWN_SIGNATURE:
                assert reason in response.json()["detail"], f"{call}: {response.text}"
            checked += 1
    assert checked >= 2, app.calls


@pytest.mark.parametrize("api", APIS, ids=lambda s: s.value)
async def test_a_service_token_opens_only_the_api_it_was_minted_for(
    client: Client, api: Service
) -> None:
    async with client(api) as app:
        for caller in APIS:
            for meant_for in set(APIS) - {api}:
                token = bearer(service_token(DEVELOPMENT_SECRET, caller, meant_for))
                for call in app.calls:
                    if str(call) in NO_TOKEN_READ | OWN_SIGNATURE:
                        continue
                    response = await app.http.request(call.method, call.url, headers=token, json={})
                    assert response.status_code == 401, f"{caller}→{meant_for} at {call}"
                    assert f"not meant for the {api.value} API" in response.json()["detail"]
