"""Field sunsets: one notice, then reminders 14, 7 and 1 days before the sunset, once each,
driven by a clock the test controls (docs/workflow.md)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from contract_service.sunsets.schedule import reminder_stage

TODAY = date(2027, 1, 1)


def ledger(sunset: date | None) -> dict[str, Any]:
    deprecated: dict[str, Any] = {"since": TODAY.isoformat(), "replacement": "contact"}
    if sunset is not None:
        deprecated["sunset"] = sunset.isoformat()
    return {
        "name": "ledger",
        "version": "1.0.0",
        "publisher": {"team": "commerce", "owner": "ledger-service"},
        "schema": [
            {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
            {"name": "email", "data_type": "string", "deprecated": deprecated},
            {"name": "contact", "data_type": "string"},
        ],
        "subscribers": [
            {"team": "marketing", "fields_used": ["email"]},
            {"team": "analytics", "fields_used": []},
            {"team": "finance", "fields_used": ["id"]},
        ],
    }


async def sweep(day: date) -> list[tuple[str, str]]:
    from contract_service.database import task_session
    from contract_service.sunsets.service import sweep as run

    async with task_session() as session:
        events = await run(session, day)
    return [(e.payload["stage"], e.payload["field"]) for e in events]


def outbox(sql: Any) -> list[dict[str, Any]]:
    rows = sql(
        "SELECT envelope FROM event_outbox WHERE event_type = 'deprecation_warning' "
        "ORDER BY created_at"
    )
    return [r[0] for r in rows]


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(30, None), (15, None), (14, "14d"), (8, "14d"), (7, "7d"), (2, "7d"), (1, "1d"),
     (0, None), (-3, None)],
)  # fmt: skip
def test_reminder_stages(days_left: int, stage: str | None) -> None:
    assert reminder_stage(days_left) == stage


async def test_one_notice_then_reminders_once_each(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Any
) -> None:
    created = await client.post(
        "/api/v1/contracts", json=ledger(TODAY + timedelta(days=20)), headers=commerce
    )
    assert created.status_code == 201, created.text
    timeline = {
        0: [("notice", "email")],
        1: [],
        5: [],
        6: [("14d", "email")],  # 14 days left
        7: [],
        13: [("7d", "email")],
        18: [],
        19: [("1d", "email")],
        20: [],  # the sunset day: removing it needs no approval now, nothing more to say
        40: [],
    }
    for offset, expected in timeline.items():
        assert await sweep(TODAY + timedelta(days=offset)) == expected, offset
        assert await sweep(TODAY + timedelta(days=offset)) == [], offset  # de-duplicated
    sent = outbox(sql)
    assert [e["payload"]["stage"] for e in sent] == ["notice", "14d", "7d", "1d"]
    notice, first = sent[0], sent[1]
    assert notice["payload"]["fields"] == ["email"]
    assert notice["payload"]["subscribers"] == ["analytics", "marketing"]
    assert notice["payload"]["replacement"] == "contact"
    assert notice["title"] == "Field email deprecated, sunset 2027-01-21"
    assert first["title"] == "Field email reaches its sunset in 14 day(s), sunset 2027-01-21"
    assert first["payload"]["days_left"] == 14


async def test_a_late_deprecation_gets_the_notice_instead_of_the_reminder_due(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Any
) -> None:
    created = await client.post(
        "/api/v1/contracts", json=ledger(TODAY + timedelta(days=10)), headers=commerce
    )
    assert created.status_code == 201
    assert await sweep(TODAY) == [("notice", "email")]  # covers the 14-day reminder
    assert await sweep(TODAY + timedelta(days=2)) == []
    assert await sweep(TODAY + timedelta(days=3)) == [("7d", "email")]


async def test_migrated_subscribers_are_shown_and_everyone_migrated_ends_the_reminders(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Any
) -> None:
    created = await client.post(
        "/api/v1/contracts", json=ledger(TODAY + timedelta(days=20)), headers=commerce
    )
    contract_id = created.json()["id"]
    assert await sweep(TODAY) == [("notice", "email")]
    moved = await client.put(
        f"/api/v1/contracts/{contract_id}/subscribers/marketing",
        json={"fields_used": ["contact"]},
        headers=commerce,
    )
    assert moved.status_code == 200, moved.text
    body = (await client.get(f"/api/v1/contracts/{contract_id}/deprecations")).json()
    [email] = body["fields"]
    assert (email["field"], email["sunset"], email["replacement"]) == (
        "email", "2027-01-21", "contact",
    )  # fmt: skip
    assert email["not_migrated"] == ["analytics"]
    assert email["migrated"] == ["finance", "marketing"]
    assert email["reminders_sent"] == ["notice"]
    left = await client.delete(
        f"/api/v1/contracts/{contract_id}/subscribers/analytics", headers=commerce
    )
    assert left.status_code == 204
    assert await sweep(TODAY + timedelta(days=6)) == []  # nobody reads it any more
    missing = await client.get(
        "/api/v1/contracts/00000000-0000-0000-0000-000000000000/deprecations"
    )
    assert missing.status_code == 404


async def test_parallel_sweeps_send_each_notice_once(
    client: httpx.AsyncClient, commerce: dict[str, str], sql: Any
) -> None:
    for name in ("ledger", "ledger_two", "ledger_three"):
        created = await client.post(
            "/api/v1/contracts",
            json={**ledger(TODAY + timedelta(days=20)), "name": name},
            headers=commerce,
        )
        assert created.status_code == 201
    results = await asyncio.gather(*(sweep(TODAY) for _ in range(4)))
    assert sum(len(r) for r in results) == 3
    assert len(outbox(sql)) == 3


async def test_a_field_without_a_sunset_gets_the_notice_only(
    client: httpx.AsyncClient, commerce: dict[str, str]
) -> None:
    created = await client.post("/api/v1/contracts", json=ledger(None), headers=commerce)
    assert created.status_code == 201
    assert await sweep(TODAY) == [("notice", "email")]
    assert await sweep(TODAY + timedelta(days=300)) == []
