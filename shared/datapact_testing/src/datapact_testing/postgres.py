"""Real PostgreSQL databases for tests: create, migrate with Alembic, drop, roll back per test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

ADMIN_DSN = os.environ.get(
    "DATAPACT_TEST_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _server_part() -> str:
    """``user@host:port`` of the admin DSN."""
    return ADMIN_DSN.split("://", 1)[1].rsplit("/", 1)[0]


def async_url(database: str) -> str:
    """SQLAlchemy asyncpg URL of a test database."""
    return f"postgresql+asyncpg://{_server_part()}/{database}"


def sync_dsn(database: str) -> str:
    """libpq DSN of a test database (psycopg)."""
    return f"postgresql://{_server_part()}/{database}"


def test_database_name(prefix: str) -> str:
    """A database name unique to this test process, so parallel runs never collide."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{prefix}_{os.getpid()}{worker}".lower()
    if not _NAME_RE.match(name):
        raise ValueError(f"bad database name {name!r}")
    return name


def create_database(name: str) -> None:
    """(Re)create an empty database."""
    drop_database(name)
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def copy_database(template: str, name: str) -> str:
    """(Re)create ``name`` as a copy of ``template`` (``CREATE DATABASE ... TEMPLATE``: a file
    copy, faster than migrating again). Nobody may be connected to ``template`` meanwhile."""
    drop_database(name)
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return name


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def alembic(service_dir: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``alembic <args>`` for a service against ``database_url`` (env ``DATABASE_URL``)."""
    env = {**os.environ, "DATABASE_URL": database_url, "ENVIRONMENT": "test"}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=service_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"alembic {' '.join(args)} failed in {service_dir}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def migrated_database(service_dir: Path, prefix: str) -> str:
    """Create a fresh database for this test process and run ``alembic upgrade head``.

    Returns its asyncpg URL.
    """
    name = test_database_name(prefix)
    create_database(name)
    url = async_url(name)
    alembic(service_dir, url, "upgrade", "head")
    return url


@asynccontextmanager
async def rollback_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back at the end.

    Code under test may call ``commit()``: with ``create_savepoint`` it commits a
    savepoint, and the outer transaction still rolls everything back.
    """
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            await session.close()
            if transaction.is_active:
                await transaction.rollback()


def truncate_all(database: str, *, keep: tuple[str, ...] = ("alembic_version",)) -> None:
    """Empty every table (for tests that run real processes and cannot roll back)."""
    with psycopg.connect(sync_dsn(database), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        tables = [r[0] for r in rows if r[0] not in keep]
        if tables:
            conn.execute(
                sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                    sql.SQL(", ").join(sql.Identifier(t) for t in tables)
                )
            )
