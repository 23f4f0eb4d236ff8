"""Which engine serves a database URL."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from datapact_agent.engines.base import Engine


class UnsupportedDatabaseError(ValueError):
    """The URL names no engine the agent speaks."""


SCHEMES = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",  # the platform's own URLs work as they are
}


def open_engine(url: str, *, pool_size: int, timeout_seconds: float, app_name: str) -> Engine:
    """The engine for ``url`` (connections are opened lazily, on first use)."""
    if not url:
        raise UnsupportedDatabaseError("no database URL (--database-url or AGENT_DATABASE_URL)")
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UnsupportedDatabaseError(f"not a database URL: {exc}") from exc
    driver = SCHEMES.get(parsed.drivername)
    if driver is None:
        known = ", ".join(sorted({s.split("+")[0] for s in SCHEMES}))
        raise UnsupportedDatabaseError(f"unsupported database {parsed.drivername!r}; use {known}")
    from datapact_agent.engines.postgres import PostgresEngine

    return PostgresEngine(
        parsed.set(drivername=driver).render_as_string(hide_password=False),
        pool_size=pool_size,
        timeout_seconds=timeout_seconds,
        app_name=app_name,
    )
