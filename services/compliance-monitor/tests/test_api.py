"""monitor-api as a real process: health, run-now (auth, errors), status."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from compliance_monitor.monitoring.sweep import SweepKind
from datapact_common.tokens import Service
from datapact_testing.health import assert_healthy
from datapact_testing.polling import eventually
from datapact_testing.processes import ServiceProcess, free_port, uvicorn_process
from datapact_testing.tokens import admin_token, bearer, internal_service_token, publisher_token

CHECK_TYPES = {"schema", "freshness", "completeness", "uniqueness", "availability"}


@pytest.fixture
def api(monitor_api: ServiceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=monitor_api.base_url or "", timeout=30) as client:
        yield client


def test_health_reports_redis(api: httpx.Client) -> None:
    assert_healthy(api.get("/health"), "compliance-monitor", redis="ok")


def test_health_is_503_when_redis_is_unreachable(
    process_env: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    env = process_env(MONITOR_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    process = uvicorn_process(
        "monitor-api-no-redis", "compliance_monitor.main:app", env=env, cwd=tmp_path
    )
    process.health_url = None
    with process:
        response = eventually(
            lambda: httpx.get(f"{process.base_url}/health", timeout=5),
            "the API answering",
            ignoring=(httpx.TransportError,),
            diagnose=process.logs,
        )
        assert response.status_code == 503
        assert response.json()["status"] == "unhealthy"
        assert response.json()["dependencies"]["redis"].startswith("unavailable: ")
        status = httpx.get(f"{process.base_url}/api/v1/status", timeout=5)
        assert status.status_code == 503
        assert status.json()["detail"].startswith("Redis unavailable")


def test_run_now_checks_records_and_returns_every_result(
    api: httpx.Client, registry: Any, shop_service: ServiceProcess, shop_contracts: Any
) -> None:
    ids = {d["name"]: registry.register(d) for d in shop_contracts(shop_service.base_url or "")}
    customers = ids["shop_customers"]
    response = api.post(
        f"/api/v1/checks/{customers}/run", headers=bearer(publisher_token("commerce"))
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["contract_id"], body["contract_name"]) == (customers, "shop_customers")
    assert body["endpoint"] == shop_service.base_url
    assert {r["check_type"] for r in body["results"]} == {*CHECK_TYPES, "validity"}
    assert {r["status"] for r in body["results"] if r["check_type"] != "validity"} == {"pass"}
    # the template speaks protocol 1: value rules are "not checked", one result per rule
    rules = [r for r in body["results"] if r["check_type"] == "validity"]
    assert {r["status"] for r in rules} == {"error"} and all(r["rule"] for r in rules)
    assert body["recorded"] == len(body["results"]) == 5 + len(rules)
    assert body["events"] == []
    for check_type in CHECK_TYPES:
        assert registry.latest(customers, check_type)["status"] == "pass"
    # Other contracts were not touched.
    assert registry.checks(ids["shop_orders"]) == []


def test_run_now_needs_the_publisher_team_an_admin_or_a_service(
    api: httpx.Client, registry: Any, shop_service: ServiceProcess, shop_contracts: Any
) -> None:
    [document] = [
        d for d in shop_contracts(shop_service.base_url or "") if d["name"] == "shop_products"
    ]
    contract_id = registry.register(document)
    url = f"/api/v1/checks/{contract_id}/run"
    assert api.post(url).status_code == 401
    assert api.post(url, headers={"Authorization": "Bearer not-a-jwt"}).status_code == 401
    forbidden = api.post(url, headers=bearer(publisher_token("marketing")))
    assert forbidden.status_code == 403
    assert "commerce" in forbidden.json()["detail"]
    assert registry.checks(contract_id) == []
    assert api.post(url, headers=bearer(admin_token())).status_code == 200
    # run-now is the publisher's: a service token for another API is not one for this, and
    # one for this API is still not the publisher's
    elsewhere = bearer(internal_service_token(Service.MONITOR, Service.CONTRACTS))
    assert api.post(url, headers=elsewhere).status_code == 401
    contracts = bearer(internal_service_token(Service.CONTRACTS, Service.MONITOR))
    assert api.post(url, headers=contracts).status_code == 403


def test_run_now_errors_are_clear(
    api: httpx.Client, registry: Any, make_document: Callable[..., dict[str, Any]]
) -> None:
    admin = bearer(admin_token())
    missing = api.post(f"/api/v1/checks/{uuid.uuid4()}/run", headers=admin)
    assert missing.status_code == 404
    assert "not found" in missing.json()["detail"]
    assert api.post("/api/v1/checks/not-a-uuid/run", headers=admin).status_code == 422
    document = make_document(name="no_endpoint")
    del document["access"]
    contract_id = registry.register(document)
    nothing = api.post(f"/api/v1/checks/{contract_id}/run", headers=admin)
    assert nothing.status_code == 409
    assert "no access.endpoint_url" in nothing.json()["detail"]


async def test_status_reports_the_last_sweep_of_each_kind(
    monitor_api: ServiceProcess,
    registry: Any,
    shop_service: ServiceProcess,
    shop_contracts: Any,
    sweep: Callable[..., Any],
) -> None:
    api = httpx.AsyncClient(base_url=monitor_api.base_url or "", timeout=30)
    empty = (await api.get("/api/v1/status")).json()
    assert empty["sweeps"] == {"schema": None, "quality": None, "availability": None}
    assert empty["schedule_seconds"] == {"schema": 300, "quality": 900, "availability": 60}

    for document in shop_contracts(shop_service.base_url or ""):
        registry.register(document)
    shop_service.stop()
    await sweep(SweepKind.SCHEMA)
    body = (await api.get("/api/v1/status")).json()
    await api.aclose()
    schema = body["sweeps"]["schema"]
    assert (schema["checked"], schema["failed"], schema["errored"]) == (4, 0, 4)
    assert schema["duration_seconds"] >= 0
    assert set(schema["phases"]) == {
        "list_seconds",
        "fetch_and_check_seconds",
        "record_and_alert_seconds",
    }
    assert schema["started_at"] <= schema["finished_at"]
    assert body["sweeps"]["quality"] is None
    assert body["pending_events"] == 0
