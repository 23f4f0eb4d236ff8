"""/health answers 200 with a working database and 503 without one; other routes say 503 too."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import DBAPIError

from contract_service.database import fetch_row, get_engine
from datapact_common.web.errors import sqlstate
from datapact_testing.health import assert_healthy
from datapact_testing.polling import eventually
from datapact_testing.processes import ServiceProcess, free_port


async def test_health_ok(client: httpx.AsyncClient) -> None:
    assert_healthy(await client.get("/health"), "contract-service", database="ok")


@pytest.fixture
def server_without_database(process_env: Callable[..., dict[str, str]]) -> Iterator[ServiceProcess]:
    dead = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/contracts"
    port = free_port()
    process = ServiceProcess(
        "contract-api-no-db",
        [sys.executable, "-m", "uvicorn", "contract_service.main:app", "--port", str(port)],
        env=process_env(CONTRACT_DATABASE_URL=dead, HEALTH_TIMEOUT_SECONDS="2"),
        base_url=f"http://127.0.0.1:{port}",
    )
    with process:

        def listening() -> httpx.Response:
            assert process.running, process.logs()
            return httpx.get(f"{process.base_url}/openapi.json", timeout=1)

        eventually(listening, "the API listening", ignoring=(httpx.HTTPError,))
        yield process


def test_health_is_503_when_the_database_is_down(server_without_database: ServiceProcess) -> None:
    base = server_without_database.base_url
    response = httpx.get(f"{base}/health", timeout=10)
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["dependencies"]["database"].startswith("unavailable: ")
    listing = httpx.get(f"{base}/api/v1/contracts", timeout=10)
    assert listing.status_code == 503, listing.text
    assert "unavailable" in listing.json()["detail"]
    # The hot reads query through asyncpg directly (database.fetch_row): the same answer.
    for path in ("/api/v1/contracts/name/orders", f"/api/v1/contracts/{uuid.uuid4()}"):
        read = httpx.get(f"{base}{path}", timeout=10)
        assert read.status_code == 503, read.text
        assert read.headers["Retry-After"] == "5"
        assert "unavailable" in read.json()["detail"]


async def test_hot_reads_recover_when_the_database_drops_their_connections(
    client: httpx.AsyncClient, sql: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """A pooled connection the server closed fails one read with 503 (the error contract),
    which invalidates the pool's older connections: the next read gets a fresh one."""
    path = "/api/v1/contracts/name/no_such_contract"
    assert (await client.get(path)).status_code == 404  # the pool holds a connection now
    sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    dropped = await client.get(path)
    assert dropped.status_code == 503, dropped.text
    assert "database unavailable" in dropped.json()["detail"]
    assert (await client.get(path)).status_code == 404


async def test_hot_reads_recover_with_several_pooled_connections_dropped(
    client: httpx.AsyncClient, sql: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """The first read after the drop invalidates the whole pool (a public pool event), so
    the reads after it get fresh connections, however many the pool held."""
    path = "/api/v1/contracts/name/no_such_contract"
    reads = [client.get(path) for _ in range(6)]
    assert {r.status_code for r in await asyncio.gather(*reads)} == {404}
    sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    assert (await client.get(path)).status_code == 503
    for _ in range(6):
        assert (await client.get(path)).status_code == 404


@pytest.mark.parametrize(
    ("statement", "args", "state"),
    [
        ("SELECT 1 / $1::int", (0,), "22012"),  # data exception: 422
        ("SELECT $1::int", ("x",), "22000"),  # asyncpg refuses the argument itself
        ("SELEC 1", (), "42601"),  # syntax error
        ("SELECT * FROM no_such_table", (), "42P01"),
    ],
)
async def test_fetch_row_raises_the_errors_a_connection_raises(
    client: httpx.AsyncClient, statement: str, args: tuple[Any, ...], state: str
) -> None:
    """The same SQLAlchemy class and SQLSTATE as a ``Connection`` running the statement, not
    invalidated: datapact_common.web.errors maps them as any other query's."""
    with pytest.raises(Exception) as direct:
        await fetch_row(statement, *args)
    with pytest.raises(Exception) as through_sqlalchemy:
        async with get_engine().connect() as connection:
            await connection.exec_driver_sql(statement, args)
    assert type(direct.value) is type(through_sqlalchemy.value)
    assert isinstance(direct.value, DBAPIError)
    assert sqlstate(direct.value) == state
    assert not direct.value.connection_invalidated
    assert await fetch_row("SELECT $1::int AS one", 1) == (1,)
