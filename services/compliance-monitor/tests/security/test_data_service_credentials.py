"""Finding: the monitor handed its DataPact service token to any contract's endpoint.

Now a listener a team points a contract at captures only a credential for its own origin,
minutes-lived, that no DataPact API accepts; an operator can send a secret header or
nothing instead (MONITOR_DATA_SERVICE_CREDENTIALS).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from redis.asyncio import Redis

from compliance_monitor.config import Settings
from compliance_monitor.monitoring.sweep import Monitor, SweepKind, http_client
from datapact_common.data_service_credentials import mint
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_testing.http_sink import HttpSink
from datapact_testing.processes import ServiceProcess
from datapact_testing.tokens import admin_token, bearer

Sweep = Callable[..., Any]


def authorization(sink: HttpSink) -> set[str | None]:
    return {
        {k.lower(): v for k, v in r.headers.items()}.get("authorization") for r in sink.received()
    }


async def test_a_captured_credential_is_refused_by_every_datapact_api(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    make_schema: Callable[..., dict[str, Any]],
    contract_service: ServiceProcess,
    monitor_api: ServiceProcess,
    sweep: Sweep,
) -> None:
    with HttpSink(response_body=json.dumps(make_schema()).encode()) as listener:
        victim = registry.register(make_document(name="victim"))
        registry.register(make_document(name="bait", access={"endpoint_url": listener.url}))
        await sweep(SweepKind.SCHEMA)
        await sweep(SweepKind.AVAILABILITY)
    captured = authorization(listener)
    assert len(captured) >= 1 and None not in captured
    token = next(iter(captured)).removeprefix("Bearer ")  # type: ignore[union-attr]

    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == listener.url.rstrip("/")
    assert claims["exp"] - claims["iat"] <= 300
    assert "scopes" not in claims and "teams" not in claims

    stolen = bearer(token)
    forged = "recorded with a captured credential"
    result = {"check_type": "schema", "status": "fail", "details": {}, "error_message": forged}
    attempts = [
        (contract_service, "POST", f"/api/v1/contracts/{victim}/compliance", result),
        (contract_service, "POST", "/api/v1/contracts", make_document(name="stolen")),
        (contract_service, "DELETE", f"/api/v1/contracts/{victim}", None),
        (monitor_api, "POST", f"/api/v1/checks/{victim}/run", None),
    ]
    async with httpx.AsyncClient(timeout=30) as client:
        for process, method, path, body in attempts:
            url = f"{process.base_url}{path}"
            response = await client.request(method, url, json=body, headers=stolen)
            assert response.status_code == 401, (path, response.status_code, response.text)
    assert all(c["error_message"] != forged for c in registry.checks(victim))


async def test_a_secret_header_or_nothing_per_endpoint(
    registry: Any,
    make_document: Callable[..., dict[str, Any]],
    make_schema: Callable[..., dict[str, Any]],
    settings: Settings,
    sweep: Sweep,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = json.dumps(make_schema()).encode()
    with HttpSink(response_body=body) as keyed, HttpSink(response_body=body) as bare:
        registry.register(
            make_document(name="keyed", table="customers", access={"endpoint_url": keyed.url})
        )
        registry.register(
            make_document(name="bare", table="customers", access={"endpoint_url": bare.url})
        )
        choices = {keyed.url: {"header": "X-Api-Key", "value": "k3y"}, bare.url: "none"}
        monkeypatch.setenv("MONITOR_DATA_SERVICE_CREDENTIALS", json.dumps(choices))
        parsed = Settings(ENVIRONMENT="test").data_service_credentials
        assert "k3y" not in repr(parsed)
        chosen = settings.model_copy(update={"data_service_credentials": parsed})
        summary = await sweep(SweepKind.SCHEMA, chosen)
    assert summary["results"]["pass"] == 2
    [keyed_request] = keyed.received()
    assert keyed_request.headers.get("X-Api-Key") == "k3y"
    assert authorization(keyed) == {None}
    assert authorization(bare) == {None}
    assert all("X-Api-Key" not in r.headers for r in bare.received())


async def test_a_data_service_with_closed_reads_answers_the_monitor_alone(
    registry: Any,
    shop_contracts: Callable[..., list[dict[str, Any]]],
    start_template: Callable[..., ServiceProcess],
    settings: Settings,
    sweep: Sweep,
) -> None:
    service = start_template(
        DATAPACT_READS_REQUIRE_AUTH="true", TEMPLATE_ENDPOINT_URL="http://127.0.0.1:{port}"
    )
    base = service.base_url or ""
    for document in shop_contracts(base):
        registry.register(document)
    summary = await sweep(SweepKind.SCHEMA)
    assert summary["results"]["pass"] == summary["checked"] == 4

    client = httpx.AsyncClient(base_url=base, timeout=30)
    assert (await client.get("/schema")).status_code == 401
    for other in ("http://127.0.0.1:1", base.replace("http:", "https:")):
        forged = mint(DEVELOPMENT_SECRET, other)
        response = await client.get("/schema", headers=bearer(forged))
        assert response.status_code == 401, other
    # A DataPact token still reads it (people use /data), and the credential unlocks no PII.
    assert (await client.get("/schema", headers=bearer(admin_token()))).is_success
    own = bearer(mint(DEVELOPMENT_SECRET, base))
    page = await client.get("/data/shop_customers", headers=own)
    await client.aclose()
    assert page.status_code == 200, page.text
    assert "email" in page.json()["redacted_fields"]
    assert {row["email"] for row in page.json()["items"]} == {None}


async def test_a_data_service_that_cannot_verify_it_says_which_setting_is_missing(
    start_template: Callable[..., ServiceProcess], settings: Settings
) -> None:
    closed = start_template(DATAPACT_READS_REQUIRE_AUTH="true")
    base = closed.base_url or ""
    async with httpx.AsyncClient(timeout=30) as client:
        credential = bearer(mint(DEVELOPMENT_SECRET, base))
        response = await client.get(f"{base}/schema", headers=credential)
    assert response.status_code == 401
    assert "TEMPLATE_ENDPOINT_URL" in response.json()["detail"]
    # Reads open: the credential grants nothing more than no token, so it is not refused.
    async with http_client(settings) as http:
        monitor = Monitor(settings, http, Redis.from_url(settings.redis_url))
        opened = start_template()
        document = await monitor.data.document(opened.base_url or "", "/schema")
        await monitor.state.redis.aclose()
    assert "tables" in document


@pytest.mark.parametrize(
    ("choices", "reason"),
    [
        ({"data.internal:8443": "none"}, "is not an http"),
        ({"http://x:80": "bearer"}, "Input should be 'none' or 'token'"),
        ({"http://x:80": {"header": "X Key", "value": "v"}}, "should match pattern"),
        ({"http://x:80": {"header": "X-Key", "value": "v\r\nInjected: 1"}}, "one line"),
        ({"http://x": "none", "http://x:80": "token"}, "names http://x:80 twice"),
    ],
)
def test_an_unreadable_choice_stops_the_monitor_at_start_up(
    choices: dict[str, Any], reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_DATA_SERVICE_CREDENTIALS", json.dumps(choices))
    with pytest.raises(ValueError, match=reason):
        Settings(ENVIRONMENT="test")
