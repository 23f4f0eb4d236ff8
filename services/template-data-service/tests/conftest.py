"""Fixtures: a migrated PostgreSQL database (copied per test where a test changes the
schema), the app in-process over ASGI, and small helpers to write known rows."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from data_service.config import Settings
from data_service.main import create_app
from datapact_testing import postgres
from datapact_testing.postgres import (
    async_url,
    drop_database,
    migrated_database,
    test_database_name,
    truncate_all,
)

SERVICE_DIR = Path(__file__).resolve().parents[1]
CONTRACTS = SERVICE_DIR / "contract.yaml"
_copies = itertools.count(1)


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def template_database() -> Iterator[str]:
    """Migrated once (alembic upgrade head); only ever used as a template to copy."""
    url = migrated_database(SERVICE_DIR, "test_template")
    yield database_name(url)
    drop_database(database_name(url))


def copy_database(template: str) -> str:
    return postgres.copy_database(template, test_database_name(f"test_template_c{next(_copies)}"))


@pytest.fixture(scope="session")
def shared_database(template_database: str) -> Iterator[str]:
    """One migrated database for the tests that do not change the schema."""
    name = copy_database(template_database)
    yield name
    drop_database(name)


@pytest.fixture
def database(shared_database: str) -> str:
    """The shared database, emptied before the test."""
    truncate_all(shared_database)
    return shared_database


@pytest.fixture
def fresh_database(template_database: str) -> Iterator[str]:
    """A database of its own, for a test that alters tables."""
    name = copy_database(template_database)
    yield name
    drop_database(name)


@asynccontextmanager
async def engine_for(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(async_url(database), poolclass=NullPool)
    try:
        yield engine
    finally:
        await engine.dispose()


async def execute(database: str, *statements: str, **params: Any) -> None:
    """Run SQL written by the test (DDL, known rows) in one committed transaction."""
    async with engine_for(database) as engine, engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement), params)


def settings_for(database: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": async_url(database),
        "environment": "test",
        "contracts_path": CONTRACTS,
        "generator_enabled": False,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process, lifespan included."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://template") as client:
            yield client


@pytest.fixture
async def client(database: str) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(settings_for(database)) as c:
        yield c


# Helpers as fixtures (test modules never import each other or conftest).


@pytest.fixture
def make_settings() -> Callable[..., Settings]:
    return settings_for


@pytest.fixture
def make_client() -> Callable[[Settings], Any]:
    return client_for


@pytest.fixture
def run_sql() -> Callable[..., Any]:
    return execute


@pytest.fixture
def add_customers() -> Callable[..., Any]:
    return insert_customers


@pytest.fixture
def connect() -> Callable[[str], Any]:
    return engine_for


# Known rows -------------------------------------------------------------------------

CUSTOMER = (
    "INSERT INTO customers (id, email, full_name, phone, country_code, loyalty_tier, "
    "created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES "
    "(:id, :email, :name, :phone, 'DE', 'bronze', now(), now() - make_interval(secs => :age))"
)


async def insert_customers(database: str, rows: list[dict[str, Any]]) -> None:
    async with engine_for(database) as engine, engine.begin() as conn:
        for row in rows:
            await conn.execute(
                text(CUSTOMER),
                {
                    "id": row["id"],
                    "email": row["email"],
                    "name": row.get("name", "Test Customer"),
                    "phone": row.get("phone"),
                    "age": float(row.get("age_seconds", 0)),
                },
            )


# Contracts files written by a test ---------------------------------------------------


def shipped_documents() -> list[dict[str, Any]]:
    from datapact_common.yaml_io import load_yaml_documents

    return [dict(doc) for doc in load_yaml_documents(CONTRACTS.read_text())]


@pytest.fixture
def contracts_file(tmp_path: Path) -> Callable[[list[dict[str, Any]]], Path]:
    """Write contract documents as a YAML stream and return its path."""
    from datapact_common.yaml_io import dump_yaml_documents

    def write(documents: list[dict[str, Any]]) -> Path:
        path = tmp_path / f"contracts-{next(_copies)}.yaml"
        path.write_text(dump_yaml_documents(documents))
        return path

    return write


@pytest.fixture
def shipped_contracts() -> Callable[[], list[dict[str, Any]]]:
    return shipped_documents
