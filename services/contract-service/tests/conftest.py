"""Fixtures: one migrated PostgreSQL database for the test process, the app over ASGI
(real database connections), a real uvicorn process for the tests that need one,
tokens and contract documents."""

from __future__ import annotations

import copy
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service
from datapact_testing.postgres import (
    alembic,
    async_url,
    create_database,
    drop_database,
    sync_dsn,
    test_database_name,
    truncate_all,
)
from datapact_testing.processes import ServiceProcess, uvicorn_process
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.tokens import admin_token, bearer, internal_service_token, publisher_token

SERVICE_DIR = Path(__file__).resolve().parents[1]
REDIS_TEST_URL = suite_redis_url(10)  # contract-service tests' Redis DB (conventions)

# Settings are read once per process, so the environment is fixed before the app is imported;
# explicit values, so neither a developer's variables nor a `.env` file can point the tests
# at a real database or another secret.
DATABASE = test_database_name("test_contracts")
TEST_ENV = {
    "ENVIRONMENT": "test",
    "CONTRACT_DATABASE_URL": async_url(DATABASE),
    "DATABASE_URL": async_url(DATABASE),
    "CONTRACT_REDIS_URL": REDIS_TEST_URL,
    "DATAPACT_SECRET_KEY": DEVELOPMENT_SECRET,
    "DATAPACT_READS_REQUIRE_AUTH": "false",
    "DICTIONARY_NUDGE_ENABLED": "false",
}
os.environ.update(TEST_ENV)


def server_env(**extra: str) -> dict[str, str]:
    """Environment of a real contract-service process on the test database."""
    return {**TEST_ENV, **extra}


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    """The process's database, migrated with `alembic upgrade head`."""
    create_database(DATABASE)
    alembic(SERVICE_DIR, async_url(DATABASE), "upgrade", "head")
    yield DATABASE
    drop_database(DATABASE)


@pytest.fixture
def clean_db(database: str) -> str:
    truncate_all(database)
    return database


@pytest.fixture
def sql(clean_db: str) -> Callable[..., list[tuple[Any, ...]]]:
    """Run SQL directly against the test database (to check or arrange stored state)."""

    def run(query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(sync_dsn(clean_db), autocommit=True) as conn:
            cursor = conn.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []

    return run


@pytest.fixture(scope="session")
def app(database: str) -> Any:
    from contract_service.main import app

    return app


@pytest.fixture
async def client(app: Any, clean_db: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://contracts.test") as c:
        yield c


@pytest.fixture(scope="session")
def api_server(database: str) -> Iterator[ServiceProcess]:
    """A real uvicorn process serving the test database."""
    with uvicorn_process(
        "contract-api", "contract_service.main:app", env=server_env(), cwd=SERVICE_DIR
    ) as process:
        yield process


# -- tokens -----------------------------------------------------------------------------
@pytest.fixture
def commerce() -> dict[str, str]:
    """Headers of a publisher in team 'commerce' (the sample contract's team)."""
    return bearer(publisher_token("commerce", sub="alice"))


@pytest.fixture
def other_team() -> dict[str, str]:
    return bearer(publisher_token("marketing", sub="mallory"))


@pytest.fixture
def admin() -> dict[str, str]:
    return bearer(admin_token("root"))


@pytest.fixture
def service() -> dict[str, str]:
    return bearer(internal_service_token(Service.MONITOR, Service.CONTRACTS))


# -- documents --------------------------------------------------------------------------
SAMPLE_CONTRACT: dict[str, Any] = {
    "name": "test_orders",
    "version": "1.0.0",
    "description": "Test orders dataset",
    "publisher": {"team": "commerce", "owner": "orders-service"},
    "schema": [
        {
            "name": "order_id",
            "data_type": "uuid",
            "description": "Unique order identifier",
            "nullable": False,
            "is_primary_key": True,
        },
        {"name": "total", "data_type": "decimal", "nullable": False},
    ],
    "quality": [{"metric_type": "freshness", "threshold": "15 minutes"}],
}


@pytest.fixture
def sample_contract() -> dict[str, Any]:
    """The spec's example contract (Testing Requirements)."""
    return copy.deepcopy(SAMPLE_CONTRACT)


def make_contract(
    name: str, *, fields: int = 3, team: str = "commerce", **extra: Any
) -> dict[str, Any]:
    """A valid contract document with ``fields`` fields (the first is the primary key)."""
    schema = [
        {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
        *(
            {"name": f"field_{i}", "data_type": "string", "description": f"field {i}"}
            for i in range(1, fields)
        ),
    ]
    return {
        "name": name,
        "version": "1.0.0",
        "description": f"{name} dataset",
        "publisher": {"team": team, "owner": f"{team}-service"},
        "schema": schema,
        "quality": [{"metric_type": "completeness", "threshold": "99%"}],
        **extra,
    }


@pytest.fixture
def contract_factory() -> Callable[..., dict[str, Any]]:
    return make_contract


@pytest.fixture
def create(client: httpx.AsyncClient, commerce: dict[str, str]) -> Callable[..., Any]:
    """POST a document as team commerce; returns the created body (asserting 201)."""

    async def _create(document: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        response = await client.post(
            "/api/v1/contracts", json=document, headers=headers or commerce
        )
        assert response.status_code == 201, response.text
        return response.json()

    return _create


@pytest.fixture
def process_env() -> Callable[..., dict[str, str]]:
    """``process_env(NAME=value, ...)``: the environment for a real service process."""
    return server_env


@pytest.fixture
def flush_test_redis() -> None:
    """Empty the tests' Redis DB (relay kicks queued by earlier in-process tests)."""
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
