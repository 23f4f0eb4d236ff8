"""GET /health reports the database and the broker."""

from __future__ import annotations

import time

import httpx

from datapact_testing.processes import uvicorn_process


async def test_health_when_everything_answers(api: httpx.AsyncClient) -> None:
    response = await api.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "healthy",
        "service": "notification-service",
        "database": "ok",
        "broker": "ok",
    }


def test_health_is_503_when_the_database_is_away() -> None:
    env = {
        "ENVIRONMENT": "test",
        "NOTIFICATION_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:9/none",
    }
    process = uvicorn_process("notification-api", "notification_service.main:app", env=env)
    process.health_url = None  # it is expected to be unhealthy
    with process:
        base = process.base_url or ""
        response = None
        for _ in range(100):
            try:
                response = httpx.get(f"{base}/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response is not None
        assert response.status_code == 503
        assert response.json()["status"] == "unhealthy"
        assert response.json()["database"].startswith("error")
