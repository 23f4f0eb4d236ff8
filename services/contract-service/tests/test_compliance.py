"""Compliance results: recorded by the monitor, latest per type in the body, history, dashboard."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from datapact_common.timeutil import utcnow


def result(
    check_type: str, status: str, at: datetime | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"check_type": check_type, "status": status, **extra}
    if at is not None:
        body["checked_at"] = at.isoformat()
    return body


async def test_record_and_latest_status_in_the_contract(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, service: dict[str, str]
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/compliance"
    now = utcnow()
    failed = result(
        "schema",
        "fail",
        now - timedelta(minutes=5),
        error_message="column 'total' missing",
        details={"missing": ["total"]},
    )
    first = await client.post(
        url,
        json=failed,
        headers=service,
    )  # fmt: skip
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["recorded_by"] == "service:compliance-monitor"
    assert body["contract_version"] == "1.0.0" and body["details"] == {"missing": ["total"]}
    await client.post(
        url, json=result("freshness", "pass", now - timedelta(minutes=4)), headers=service
    )
    contract = (await client.get(f"/api/v1/contracts/{created['id']}")).json()
    assert contract["compliance"]["status"] == "fail"
    assert contract["compliance"]["checks"]["schema"]["error_message"] == "column 'total' missing"
    assert contract["updated_at"] == created["updated_at"]  # results are not document changes

    await client.post(
        url, json=result("schema", "pass", now - timedelta(minutes=1)), headers=service
    )
    # a late-arriving older result does not replace the newer one
    await client.post(
        url, json=result("schema", "error", now - timedelta(hours=1)), headers=service
    )
    contract = (await client.get("/api/v1/contracts/name/test_orders")).json()
    assert contract["compliance"]["status"] == "pass"
    assert contract["compliance"]["checks"]["schema"]["status"] == "pass"
    assert set(contract["compliance"]["checks"]) == {"schema", "freshness"}


async def test_history_filters_and_pagination(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, service: dict[str, str]
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/compliance"
    base = utcnow() - timedelta(hours=10)
    for i in range(12):
        status = "pass" if i % 3 else "fail"
        check_type = "schema" if i % 2 else "availability"
        response = await client.post(
            url, json=result(check_type, status, base + timedelta(minutes=i)), headers=service
        )
        assert response.status_code == 201
    page = (await client.get(url, params={"limit": 5})).json()
    assert page["total"] == 12 and len(page["checks"]) == 5
    times = [c["checked_at"] for c in page["checks"]]
    assert times == sorted(times, reverse=True)  # newest first
    rest = (await client.get(url, params={"skip": 10, "limit": 5})).json()
    assert len(rest["checks"]) == 2
    fails = (await client.get(url, params={"status": "fail"})).json()
    assert fails["total"] == 4 and {c["status"] for c in fails["checks"]} == {"fail"}
    schema_only = (await client.get(url, params={"check_type": "schema"})).json()
    assert schema_only["total"] == 6
    since = (base + timedelta(minutes=8)).isoformat()
    assert (await client.get(url, params={"since": since})).json()["total"] == 4
    until = (base + timedelta(minutes=2)).isoformat()
    assert (await client.get(url, params={"until": until})).json()["total"] == 2
    assert (await client.get(url, params={"check_type": "vibes"})).status_code == 422


async def test_invalid_results_are_422(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, service: dict[str, str]
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/compliance"
    for body, words in (
        ({"check_type": "schema", "status": "great"}, "status"),
        ({"check_type": "mood", "status": "pass"}, "check_type"),
        (
            {"check_type": "schema", "status": "pass", "checked_at": "2024-01-01T00:00:00"},
            "timezone",
        ),
        (
            {
                "check_type": "schema",
                "status": "pass",
                "checked_at": (utcnow() + timedelta(days=1)).isoformat(),
            },
            "future",
        ),
        ({"check_type": "schema", "status": "pass", "extra": 1}, "extra"),
        ({"check_type": "schema", "status": "pass", "details": {"x": "\u0000"}}, "NUL"),
        ({"check_type": "schema", "status": "pass", "error_message": "a\u0000b"}, "NUL"),
    ):
        response = await client.post(url, json=body, headers=service)
        assert response.status_code == 422, body
        assert words in response.text
    missing = await client.post(
        f"/api/v1/contracts/{uuid.uuid4()}/compliance",
        json=result("schema", "pass"),
        headers=service,
    )
    assert missing.status_code == 404
    broken = await client.post(
        url, content="{", headers={**service, "content-type": "application/json"}
    )
    assert broken.status_code == 422


async def test_summary_for_the_dashboard(
    client: httpx.AsyncClient, contract_factory: Any, admin: dict[str, str], service: dict[str, str]
) -> None:
    ids = {}
    for name, team in (
        ("alpha", "commerce"),
        ("beta", "commerce"),
        ("gamma", "marketing"),
        ("delta", "marketing"),
    ):
        response = await client.post(
            "/api/v1/contracts", json=contract_factory(name, team=team), headers=admin
        )
        ids[name] = response.json()["id"]
    now = utcnow()
    records = [
        ("alpha", "schema", "pass"), ("alpha", "freshness", "pass"),
        ("beta", "schema", "pass"), ("beta", "freshness", "fail"),
        ("gamma", "schema", "warning"),
    ]  # fmt: skip
    for name, check_type, status in records:
        await client.post(
            f"/api/v1/contracts/{ids[name]}/compliance",
            json=result(check_type, status, now),
            headers=service,
        )
    await client.delete(f"/api/v1/contracts/{ids['delta']}", headers=admin)

    summary = (await client.get("/api/v1/compliance/summary")).json()
    assert summary["totals"] == {
        "contracts": 3,
        "pass": 1,
        "fail": 1,
        "warning": 1,
        "error": 0,
        "unknown": 0,
    }
    assert summary["by_check_type"] == {
        "freshness": {"pass": 1, "fail": 1},
        "schema": {"pass": 2, "warning": 1},
    }
    assert [(c["contract_name"], c["status"]) for c in summary["contracts"]] == [
        ("alpha", "pass"), ("beta", "fail"), ("gamma", "warning"),
    ]  # fmt: skip
    with_deprecated = (
        await client.get("/api/v1/compliance/summary", params={"include_deprecated": "true"})
    ).json()
    assert with_deprecated["totals"]["unknown"] == 1
    failing = (await client.get("/api/v1/compliance/summary", params={"status": "fail"})).json()
    assert [c["contract_name"] for c in failing["contracts"]] == ["beta"] and failing["total"] == 1
    team = (await client.get("/api/v1/compliance/summary", params={"team": "marketing"})).json()
    assert [c["contract_name"] for c in team["contracts"]] == ["gamma"]
    paged = (await client.get("/api/v1/compliance/summary", params={"skip": 1, "limit": 1})).json()
    assert [c["contract_name"] for c in paged["contracts"]] == ["beta"] and paged["total"] == 3


async def test_trend_is_a_daily_pass_rate(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, service: dict[str, str]
) -> None:
    created = await create(sample_contract)
    url = f"/api/v1/contracts/{created['id']}/compliance"
    today = utcnow().replace(hour=0, minute=30, second=0, microsecond=0)
    if utcnow() < today:  # never in the future
        today = utcnow()
    two_days_ago = today - timedelta(days=2)
    for status in ("pass", "pass", "pass", "fail"):
        await client.post(url, json=result("schema", status, two_days_ago), headers=service)
    await client.post(url, json=result("freshness", "pass", today), headers=service)
    await client.post(
        url, json=result("schema", "pass", today - timedelta(days=40)), headers=service
    )
    trend = (await client.get("/api/v1/compliance/trend", params={"days": 7})).json()
    points = trend["points"]
    assert len(points) == 7
    assert points[-1]["date"] == today.date().isoformat()
    by_date = {p["date"]: p for p in points}
    old = by_date[two_days_ago.date().isoformat()]
    assert (old["total"], old["passed"], old["failed"], old["pass_rate"]) == (4, 3, 1, 0.75)
    assert by_date[today.date().isoformat()]["pass_rate"] == 1.0
    assert points[0]["total"] == 0 and points[0]["pass_rate"] is None
    schema_only = (
        await client.get("/api/v1/compliance/trend", params={"days": 7, "check_type": "schema"})
    ).json()
    assert schema_only["points"][-1]["total"] == 0
    per_contract = (
        await client.get(
            "/api/v1/compliance/trend", params={"days": 60, "contract_id": str(uuid.uuid4())}
        )
    ).json()
    assert sum(p["total"] for p in per_contract["points"]) == 0
    assert datetime.fromisoformat(points[0]["date"]).replace(tzinfo=UTC) < datetime.now(UTC)
