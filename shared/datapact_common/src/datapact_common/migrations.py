"""The one Alembic environment every service's ``alembic/env.py`` runs.

The database URL, first match wins: ``alembic -x database_url=...``, the config attribute
``database_url`` (set by programmatic callers), ``sqlalchemy.url`` in the ini file, then the
service's own settings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from logging.config import fileConfig

from alembic import context
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool


def database_url(settings_url: Callable[[], str]) -> str:
    config = context.config
    url = (
        context.get_x_argument(as_dictionary=True).get("database_url")
        or config.attributes.get("database_url")
        or config.get_main_option("sqlalchemy.url")
    )
    return str(url) if url else settings_url()


def run_migrations(
    metadata: MetaData, settings_url: Callable[[], str], *, compare_server_default: bool = False
) -> None:
    """Run the migrations offline (SQL script) or online (async engine, no pool)."""
    config = context.config
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = database_url(settings_url)

    if context.is_offline_mode():
        context.configure(
            url=url,
            literal_binds=True,
            dialect_opts={"paramstyle": "named"},
            target_metadata=metadata,
            compare_type=True,
            compare_server_default=compare_server_default,
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            compare_type=True,
            compare_server_default=compare_server_default,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_online() -> None:
        engine = create_async_engine(url, poolclass=NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run)
        await engine.dispose()

    asyncio.run(run_online())
