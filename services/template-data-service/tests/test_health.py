"""GET /health: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from typing import Any

from datapact_testing import postgres
from datapact_testing.health import assert_healthy
from datapact_testing.postgres import async_url, create_database, drop_database
from datapact_testing.processes import free_port


async def test_healthy_when_database_answers(client: Any) -> None:
    assert_healthy(await client.get("/health"), "template-data-service", database="ok")


async def test_503_when_no_server_listens(make_settings: Any, make_client: Any) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/template_data"
    settings = make_settings("unused", database_url=url)
    async with make_client(settings) as client:
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json()["status"] == "unhealthy"
        assert "ConnectionRefused" in response.json()["dependencies"]["database"]
        # The protocol endpoints say the same instead of failing with a 500.
        for path in ("/schema", "/metrics", "/data/shop_orders"):
            down = await client.get(path)
            assert down.status_code == 503, path
            assert down.json()["detail"].startswith("database unavailable")


async def test_503_when_the_database_does_not_exist(make_settings: Any, make_client: Any) -> None:
    settings = make_settings("unused", database_url=async_url("template_data_absent_db"))
    async with make_client(settings) as client:
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json()["status"] == "unhealthy"


async def test_recovers_when_the_database_comes_back(
    template_database: str, make_settings: Any, make_client: Any
) -> None:
    """A stopped database, then the same app once it is there again (pool_pre_ping)."""
    name = postgres.test_database_name("test_template_flap")
    drop_database(name)
    async with make_client(make_settings(name)) as client:
        assert (await client.get("/health")).status_code == 503
        create_database(name)
        try:
            assert (await client.get("/health")).status_code == 200
        finally:
            drop_database(name)
        assert (await client.get("/health")).status_code == 503
