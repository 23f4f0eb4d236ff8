"""Alembic: the models and the migrations agree; the history goes down and up again."""

from __future__ import annotations

from pathlib import Path

import psycopg

from datapact_testing.postgres import alembic, drop_database, migrated_database, sync_dsn

SERVICE_DIR = Path(__file__).resolve().parents[1]


def test_check_downgrade_upgrade() -> None:
    url = migrated_database(SERVICE_DIR, "test_dict_migrations")
    name = url.rsplit("/", 1)[1]
    try:
        check = alembic(SERVICE_DIR, url, "check")
        assert "No new upgrade operations detected" in check.stdout + check.stderr
        alembic(SERVICE_DIR, url, "downgrade", "base")
        with psycopg.connect(sync_dsn(name)) as conn:
            tables = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
            extension = conn.execute(
                "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
            ).fetchone()
        assert [t for (t,) in tables] == ["alembic_version"]
        assert extension == (0,)
        alembic(SERVICE_DIR, url, "upgrade", "head")
        alembic(SERVICE_DIR, url, "check")
    finally:
        drop_database(name)
