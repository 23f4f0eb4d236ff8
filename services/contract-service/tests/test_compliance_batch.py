"""Bulk recording of a sweep's results: once per sweep, only by the monitor, bounded."""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta, timezone
from typing import Any

import httpx

from datapact_common.timeutil import utcnow
from datapact_common.tokens import Service
from datapact_testing.tokens import bearer, internal_service_token

BATCH = "/api/v1/compliance/results:batch"


def rule_result(contract_id: str, rule: str, status: str, violations: int, at: Any) -> Any:
    field, kind = rule.split(":", 1)
    return {
        "contract_id": contract_id,
        "check_type": "validity",
        "rule": rule,
        "status": status,
        "details": {"field": field, "rule": kind, "violations": violations, "samples": [{"id": 4}]},
        "error_message": None if status == "pass" else f"`{field}`: {violations} rows below min 0",
        "checked_at": at.isoformat(),
    }


async def test_a_sweep_is_recorded_once_and_sums_up_its_rules(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, service: Any
) -> None:
    created = await create(sample_contract)
    cid = created["id"]
    at = utcnow() - timedelta(minutes=2)
    body = {
        "sweep_id": "quality-1",
        "results": [
            {"contract_id": cid, "check_type": "schema", "status": "pass",
             "checked_at": at.isoformat()},
            rule_result(cid, "total:min", "fail", 12, at),
            rule_result(cid, "total:max", "pass", 0, at),
        ],
    }  # fmt: skip
    first = await client.post(BATCH, json=body, headers=service)
    assert first.status_code == 200, first.text
    assert first.json() == {
        "sweep_id": "quality-1", "recorded": 3, "duplicates": 0, "unknown_contracts": [],
    }  # fmt: skip
    again = await client.post(BATCH, json=body, headers=service)
    assert again.json()["recorded"] == 0 and again.json()["duplicates"] == 3
    history = (await client.get(f"/api/v1/contracts/{cid}/compliance")).json()
    assert history["total"] == 3
    assert {c["rule"] for c in history["checks"]} == {None, "total:min", "total:max"}

    compliance = (await client.get(f"/api/v1/contracts/{cid}")).json()["compliance"]
    validity = compliance["checks"]["validity"]
    assert compliance["status"] == "fail" and validity["status"] == "fail"
    assert validity["rules"]["total:min"] == {
        "status": "fail",
        "checked_at": at.isoformat(),
        "error_message": "`total`: 12 rows below min 0",
        "field": "total",
        "rule": "min",
        "violations": 12,
    }
    assert validity["error_message"].startswith("1 of 2 rule(s) fail")

    # the next sweep: the broken rule is fixed, total:max is gone from the contract
    later = at + timedelta(minutes=1)
    fixed = {"sweep_id": "quality-2", "results": [rule_result(cid, "total:min", "pass", 0, later)]}
    assert (await client.post(BATCH, json=fixed, headers=service)).json()["recorded"] == 1
    validity = (await client.get(f"/api/v1/contracts/{cid}")).json()["compliance"]["checks"][
        "validity"
    ]
    assert validity["status"] == "pass" and set(validity["rules"]) == {"total:min"}
    summary = (await client.get("/api/v1/compliance/summary")).json()
    assert summary["by_check_type"]["validity"] == {"pass": 1}


async def test_unknown_contracts_are_listed_not_fatal(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, service: Any
) -> None:
    created = await create(sample_contract)
    gone = str(uuid.uuid4())
    at = utcnow()
    body = {
        "sweep_id": "s",
        "results": [rule_result(created["id"], "total:min", "pass", 0, at),
                    rule_result(gone, "total:min", "pass", 0, at)],
    }  # fmt: skip
    response = await client.post(BATCH, json=body, headers=service)
    assert response.status_code == 200, response.text
    assert response.json()["recorded"] == 1 and response.json()["unknown_contracts"] == [gone]


async def test_only_the_monitor_may_record_a_sweep(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    admin: Any,
    commerce: Any,
) -> None:
    created = await create(sample_contract)
    body = {
        "sweep_id": "s",
        "results": [rule_result(created["id"], "total:min", "pass", 0, utcnow())],
    }
    assert (await client.post(BATCH, json=body)).status_code == 401
    other = bearer(internal_service_token(Service.NOTIFICATIONS, Service.CONTRACTS))
    for headers in (admin, commerce, other):
        response = await client.post(BATCH, json=body, headers=headers)
        assert response.status_code == 403, response.text


async def test_bad_batches_are_422_with_a_reason(
    client: httpx.AsyncClient, sample_contract: dict[str, Any], create: Any, service: Any
) -> None:
    created = await create(sample_contract)
    one = rule_result(created["id"], "total:min", "pass", 0, utcnow())
    for body in (
        {"sweep_id": "s", "results": []},
        {"sweep_id": "s", "results": [one] * 1001},
        {"sweep_id": "no spaces", "results": [one]},
        {"sweep_id": "s", "results": [{**one, "rule": "x" * 201}]},
        {"sweep_id": "s", "results": [{**one, "check_type": "vibes"}]},
        {"results": [one]},
    ):
        response = await client.post(BATCH, json=body, headers=service)
        assert response.status_code == 422, body.get("sweep_id", body)
    huge = {"sweep_id": "s", "results": [{**one, "details": {"x": "y" * 3_000_000}}]}
    assert (await client.post(BATCH, json=huge, headers=service)).status_code == 413


async def test_a_full_batch_is_stored_as_posted_and_conflicts_only_skip(
    client: httpx.AsyncClient, create: Any, service: Any, contract_factory: Any
) -> None:
    """1,000 results (the most a request holds) over 10 contracts in one statement: each
    row as posted; re-posting a batch that overlaps records only the new results; one result
    given twice in a request is stored once; an offset time is kept as the instant it is."""
    ids = [(await create(contract_factory(f"bulk_{n}")))["id"] for n in range(10)]
    at = utcnow().replace(microsecond=123456) - timedelta(minutes=3)
    results = [
        {
            **rule_result(cid, f"f{r}:min", "fail" if r == 7 else "pass", 3 if r == 7 else 0, at),
            "contract_version": "0.9.0" if r == 1 else None,
        }
        for cid in ids
        for r in range(100)
    ]
    first = await client.post(
        BATCH, json={"sweep_id": "big", "results": results[:600]}, headers=service
    )
    assert first.json() == {
        "sweep_id": "big", "recorded": 600, "duplicates": 0, "unknown_contracts": [],
    }  # fmt: skip
    second = await client.post(
        BATCH, json={"sweep_id": "big", "results": [*results[500:], results[-1]]}, headers=service
    )
    assert second.json() == {
        "sweep_id": "big", "recorded": 400, "duplicates": 101, "unknown_contracts": [],
    }  # fmt: skip

    history = await client.get(
        f"/api/v1/contracts/{ids[9]}/compliance", params={"limit": 500}, headers=service
    )
    rows = {check["rule"]: check for check in history.json()["checks"]}
    assert history.json()["total"] == 100 and len(rows) == 100
    broken, kept, older = rows["f7:min"], rows["f0:min"], rows["f1:min"]
    assert broken["status"] == "fail" and broken["error_message"] == "`f7`: 3 rows below min 0"
    assert broken["details"] == {
        "field": "f7", "rule": "min", "violations": 3, "samples": [{"id": 4}],
    }  # fmt: skip
    assert kept["error_message"] is None and kept["contract_version"] == "1.0.0"
    assert older["contract_version"] == "0.9.0" and kept["check_type"] == "validity"
    assert kept["checked_at"].replace("Z", "+00:00") == at.isoformat()
    assert kept["recorded_by"] and kept["recorded_at"]

    # a time with another offset: the summary keeps it in UTC, as the database returns it
    offset = (at + timedelta(minutes=1)).astimezone(timezone(timedelta(hours=2)))
    late = {**rule_result(ids[0], "f0:min", "pass", 0, offset)}
    assert (
        await client.post(BATCH, json={"sweep_id": "late", "results": [late]}, headers=service)
    ).json()["recorded"] == 1
    contract = (await client.get(f"/api/v1/contracts/{ids[0]}")).json()
    validity = contract["compliance"]["checks"]["validity"]
    assert validity["checked_at"] == offset.astimezone(UTC).isoformat()
    assert validity["status"] == "pass" and set(validity["rules"]) == {"f0:min"}
    other = (await client.get(f"/api/v1/contracts/{ids[1]}")).json()["compliance"]
    assert other["checks"]["validity"]["status"] == "fail"
    assert len(other["checks"]["validity"]["rules"]) == 100
