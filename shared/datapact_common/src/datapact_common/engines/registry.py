"""Which engine serves a database URL."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from datapact_common.engines.base import Engine


class UnsupportedDatabaseError(ValueError):
    """The URL names no engine the agent speaks."""


SCHEMES = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",  # the platform's own URLs work as they are
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
    "mysql+pymysql": "mysql+pymysql",
    "mariadb+pymysql": "mysql+pymysql",
    "duckdb": "duckdb",
}


def open_engine(url: str, *, pool_size: int, timeout_seconds: float, app_name: str) -> Engine:
    """The engine for ``url`` (connections are opened lazily, on first use)."""
    if not url:
        raise UnsupportedDatabaseError("no database URL (--database-url or AGENT_DATABASE_URL)")
    if url.startswith("duckdb://"):
        # duckdb:///srv/data/shop.duckdb is /srv/data/shop.duckdb; duckdb://data is relative
        from datapact_common.engines.duckdb import DuckDBEngine

        try:
            return DuckDBEngine(url.removeprefix("duckdb://"), timeout_seconds=timeout_seconds)
        except ValueError as exc:
            raise UnsupportedDatabaseError(str(exc)) from exc
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UnsupportedDatabaseError(f"not a database URL: {exc}") from exc
    driver = SCHEMES.get(parsed.drivername)
    if driver is None:
        known = ", ".join(sorted({s.split("+")[0] for s in SCHEMES}))
        raise UnsupportedDatabaseError(f"unsupported database {parsed.drivername!r}; use {known}")
    if driver == "mysql+pymysql":
        from datapact_common.engines.mysql import MySQLEngine

        return MySQLEngine(
            parsed.set(drivername=driver).render_as_string(hide_password=False),
            pool_size=pool_size,
            timeout_seconds=timeout_seconds,
        )
    from datapact_common.engines.postgres import PostgresEngine

    return PostgresEngine(
        parsed.set(drivername=driver).render_as_string(hide_password=False),
        pool_size=pool_size,
        timeout_seconds=timeout_seconds,
        app_name=app_name,
    )
