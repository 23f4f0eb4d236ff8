"""Tokens (docs/design.md §6): writes need one, teams own their contracts, reads open by default."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from contract_service.config import get_settings
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Scope, Service, create_token
from datapact_testing.tokens import bearer, internal_service_token


async def test_writes_without_a_token_are_401(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    attempts = [
        client.post("/api/v1/contracts", json=sample_contract),
        client.put(url, json=sample_contract),
        client.delete(url),
        client.post(f"{url}/subscribers", json={"team": "commerce"}),
        client.put(f"{url}/subscribers/commerce", json={}),
        client.delete(f"{url}/subscribers/commerce"),
        client.post(f"{url}/compliance", json={"check_type": "schema", "status": "pass"}),
    ]
    for request in attempts:
        response = await request
        assert response.status_code == 401, response.request.url
        assert response.headers["www-authenticate"] == "Bearer"
        assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Bearer not-a-jwt", "invalid token"),
        ("Basic YWxpY2U6c2VjcmV0", "Bearer <token>"),
        (
            "Bearer "
            + create_token("wrong-secret-" * 3, "eve", teams=["commerce"], scopes=["admin"]),
            "invalid token",
        ),
        (
            "Bearer "
            + create_token(DEVELOPMENT_SECRET, "old", scopes=["admin"], ttl=timedelta(seconds=-5)),
            "expired",
        ),
    ],
)
async def test_bad_tokens_are_401(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], header: str, reason: str
) -> None:
    response = await client.post(
        "/api/v1/contracts", json=sample_contract, headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert reason in response.json()["detail"]


async def test_creating_for_another_team_is_403(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], other_team: dict[str, str]
) -> None:
    response = await client.post("/api/v1/contracts", json=sample_contract, headers=other_team)
    assert response.status_code == 403
    assert "commerce" in response.json()["detail"]


async def test_changing_another_teams_contract_is_403(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    other_team: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}"
    bumped = dict(sample_contract, version="1.0.1", description="hijacked")
    assert (await client.put(url, json=bumped, headers=other_team)).status_code == 403
    assert (await client.delete(url, headers=other_team)).status_code == 403
    # moving a contract to your own team is still a change to the owner's contract
    moved = dict(bumped, publisher={"team": "marketing", "owner": "mallory"})
    assert (await client.put(url, json=moved, headers=other_team)).status_code == 403
    assert (await client.get(url)).json()["version"] == "1.0.0"


async def test_publisher_cannot_hand_a_contract_to_a_team_it_is_not_in(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
) -> None:
    created = await create(sample_contract)
    moved = dict(sample_contract, version="1.0.1", publisher={"team": "finance", "owner": "x"})
    response = await client.put(f"/api/v1/contracts/{created['id']}", json=moved, headers=commerce)
    assert response.status_code == 403


async def test_token_without_write_scope_is_403(
    client: httpx.AsyncClient, sample_contract: dict[str, Any]
) -> None:
    reader = bearer(create_token(DEVELOPMENT_SECRET, "viewer", teams=["commerce"], scopes=[]))
    response = await client.post("/api/v1/contracts", json=sample_contract, headers=reader)
    assert response.status_code == 403
    assert "contracts:write" in response.json()["detail"]


async def test_service_token_cannot_write_contracts(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], service: dict[str, str]
) -> None:
    response = await client.post("/api/v1/contracts", json=sample_contract, headers=service)
    assert response.status_code == 403


async def test_admin_may_change_any_team(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], admin: dict[str, str]
) -> None:
    response = await client.post("/api/v1/contracts", json=sample_contract, headers=admin)
    assert response.status_code == 201
    bumped = dict(sample_contract, version="1.0.1", description="by an admin")
    response = await client.put(
        f"/api/v1/contracts/{response.json()['id']}", json=bumped, headers=admin
    )
    assert response.status_code == 200


async def test_compliance_results_are_recorded_by_the_monitor_only(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    service: dict[str, str],
    admin: dict[str, str],
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/compliance"
    result = {"check_type": "schema", "status": "pass"}
    assert (await client.post(url, json=result, headers=commerce)).status_code == 403
    assert (await client.post(url, json=result, headers=admin)).status_code == 403
    for caller in (Service.DICTIONARY, Service.NOTIFICATIONS):  # services, but not the monitor
        other = bearer(internal_service_token(caller, Service.CONTRACTS))
        refused = await client.post(url, json=result, headers=other)
        assert refused.status_code == 403
        assert refused.json()["detail"] == "this endpoint is only for compliance-monitor"
    # the monitor's token for the notification-service is not one for this API
    elsewhere = bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS))
    assert (await client.post(url, json=result, headers=elsewhere)).status_code == 401
    assert (await client.post(url, json=result, headers=service)).status_code == 201


async def test_reads_are_open_unless_configured(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created = await create(sample_contract)
    assert (await client.get("/api/v1/contracts")).status_code == 200
    monkeypatch.setattr(get_settings(), "datapact_reads_require_auth", True)
    for path in (
        "/api/v1/contracts",
        f"/api/v1/contracts/{created['id']}",
        "/api/v1/contracts/name/test_orders",
        f"/api/v1/contracts/{created['id']}/versions",
        "/api/v1/compliance/summary",
    ):
        assert (await client.get(path)).status_code == 401, path
        assert (await client.get(path, headers=commerce)).status_code == 200, path
    assert (await client.get("/health")).status_code == 200


async def test_scopes_of_minted_tokens_are_known() -> None:
    assert {s.value for s in Scope} == {"contracts:write", "admin", "service"}
