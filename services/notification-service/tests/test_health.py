"""GET /health reports the database and the broker."""

from __future__ import annotations

from typing import Any

import httpx

from datapact_common.tokens import Service
from datapact_testing.health import assert_healthy
from datapact_testing.polling import eventually
from datapact_testing.processes import free_port, uvicorn_process
from datapact_testing.tokens import bearer, internal_service_token

SERVICE = bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS))


async def test_health_when_everything_answers(api: httpx.AsyncClient) -> None:
    assert_healthy(await api.get("/health"), "notification-service", database="ok", broker="ok")


def test_health_is_503_when_the_database_is_away() -> None:
    env = {
        "ENVIRONMENT": "test",
        "NOTIFICATION_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:9/none",
    }
    process = uvicorn_process("notification-api", "notification_service.main:app", env=env)
    process.health_url = None  # it is expected to be unhealthy
    with process:
        base = process.base_url or ""
        response = eventually(
            lambda: httpx.get(f"{base}/health", timeout=5),
            "the API answering",
            ignoring=(httpx.TransportError,),
            diagnose=process.logs,
        )
        assert response.status_code == 503
        assert response.json()["status"] == "unhealthy"
        assert response.json()["dependencies"]["database"].startswith("unavailable: ")


def test_events_are_accepted_while_the_broker_is_away(database: str, new_event: Any) -> None:
    """Stored before the 202; the wake-up fails quietly and the worker's sweep finds it."""
    env = {
        "ENVIRONMENT": "test",
        "NOTIFICATION_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    with uvicorn_process("notification-api", "notification_service.main:app", env=env) as api:
        base = api.base_url or ""
        health = httpx.get(f"{base}/health", timeout=10).json()
        assert health["status"] == "healthy"
        assert health["dependencies"]["broker"].startswith("unavailable: ")
        event = new_event()
        response = httpx.post(f"{base}/api/v1/events", json=event, headers=SERVICE, timeout=10)
        assert response.status_code == 202, response.text
        stored = httpx.get(f"{base}/api/v1/events/{event['id']}", timeout=10)
        assert stored.status_code == 200 and stored.json()["processed_at"] is None
