"""Findings: a 5,000-digit integer in an event answered 500; NaN in an event was stored as
null (data silently changed); an unrepresentable date in `since` answered 500. Each is now a
4xx saying what is wrong, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

EVENTS = "/api/v1/events"


def raw(event: dict[str, Any], payload_value: str) -> bytes:
    """The event as JSON text with ``payload.value`` spelled exactly as given."""
    text = json.dumps({**event, "payload": {**event["payload"], "value": "__VALUE__"}})
    return text.replace('"__VALUE__"', payload_value).encode()


async def post_raw(api: httpx.AsyncClient, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return await api.post(
        EVENTS, content=body, headers={**headers, "Content-Type": "application/json"}
    )


async def stored(api: httpx.AsyncClient, event_id: str) -> int:
    return (await api.get(f"{EVENTS}/{event_id}")).status_code


@pytest.mark.parametrize(
    ("value", "status", "says"),
    [
        pytest.param("9" * 5000, 422, "5000 digits", id="5000 digits"),
        pytest.param("-" + "9" * 30, 422, "64 bits", id="30 digits"),
        pytest.param(str(2**63), 422, "64 bits", id="2**63"),
        pytest.param("NaN", 400, "NaN is not a JSON number", id="NaN"),
        pytest.param("Infinity", 400, "Infinity is not", id="Infinity"),
        pytest.param("-Infinity", 400, "-Infinity is not", id="-Infinity"),
        pytest.param("1e400", 422, "finite", id="1e400"),
        pytest.param("-1e400", 422, "finite", id="-1e400"),
    ],
)
async def test_numbers_json_cannot_carry_faithfully_are_refused(
    api: httpx.AsyncClient,
    service_headers: dict[str, str],
    new_event: Any,
    value: str,
    status: int,
    says: str,
) -> None:
    event = new_event("quality_breach")
    response = await post_raw(api, raw(event, value), service_headers)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]
    assert await stored(api, event["id"]) == 404


async def test_numbers_in_range_are_kept_exactly(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any
) -> None:
    event = new_event("quality_breach")
    body = raw(event, "[9223372036854775807, -9223372036854775808, 1.5, 0.1, -0.0]")
    assert (await post_raw(api, body, service_headers)).status_code == 202
    got = (await api.get(f"{EVENTS}/{event['id']}")).json()
    assert got["payload"]["value"] == [2**63 - 1, -(2**63), 1.5, 0.1, 0]


@pytest.mark.parametrize("occurred_at", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
async def test_an_unrepresentable_event_date_is_422(
    api: httpx.AsyncClient, service_headers: dict[str, str], new_event: Any, occurred_at: str
) -> None:
    event = new_event("quality_breach", occurred_at=occurred_at)
    response = await api.post(EVENTS, json=event, headers=service_headers)
    assert response.status_code == 422, response.text
    assert "occurred_at" in response.json()["detail"]


@pytest.mark.parametrize(
    "since",
    [
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00",  # representable: answers, finds everything
    ],
)
async def test_an_unrepresentable_since_is_422(api: httpx.AsyncClient, since: str) -> None:
    response = await api.get("/api/v1/notifications", params={"since": since})
    if since.endswith("00:00:00"):
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 422, response.text
    assert "since" in response.json()["detail"] and "range" in response.json()["detail"]
