"""Alembic: the models and the migrations agree; the history goes down and up again."""

from __future__ import annotations

from pathlib import Path

import psycopg

from datapact_testing.migrations import assert_round_trip
from datapact_testing.postgres import alembic, drop_database, migrated_database, sync_dsn

SERVICE_DIR = Path(__file__).resolve().parents[1]


def test_check_downgrade_upgrade() -> None:
    url = migrated_database(SERVICE_DIR, "test_dict_migrations")
    name = url.rsplit("/", 1)[1]
    try:

        def trigram_extension_dropped() -> None:
            with psycopg.connect(sync_dsn(name)) as conn:
                assert conn.execute(
                    "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
                ).fetchone() == (0,)

        assert_round_trip(SERVICE_DIR, name, at_base=trigram_extension_dropped)
        # `alembic check` does not compare index storage parameters: 0004's are asserted here
        with psycopg.connect(sync_dsn(name)) as conn:
            options = conn.execute(
                "SELECT relname, reloptions FROM pg_class WHERE relname IN"
                " ('ix_search_entries_search_vector', 'ix_search_entries_tags')"
            ).fetchall()
        assert sorted(options) == [
            ("ix_search_entries_search_vector", ["gin_pending_list_limit=64"]),
            ("ix_search_entries_tags", ["gin_pending_list_limit=64"]),
        ]

        # 0002 reshapes the read model: with data in it, down and up still work (it is
        # emptied, and the sync cursor reset, so the next pass rebuilds it).
        with psycopg.connect(sync_dsn(name), autocommit=True) as conn:
            conn.execute(
                "INSERT INTO datasets (id, name, version, status, publisher_team,"
                " publisher_owner, table_name, field_count, pii_field_count, subscriber_count,"
                " source_updated_at, synced_at) VALUES (gen_random_uuid(), 'orders', '1.0.0',"
                " 'active', 't', 'o', 'orders', 0, 0, 0, now(), now())"
            )
            conn.execute("INSERT INTO sync_state (id, cursor) VALUES (1, now())")
        alembic(SERVICE_DIR, url, "downgrade", "0001")
        alembic(SERVICE_DIR, url, "upgrade", "head")
        with psycopg.connect(sync_dsn(name)) as conn:
            left = conn.execute(
                "SELECT (SELECT count(*) FROM datasets), (SELECT count(*) FROM sync_state)"
            ).fetchone()
        assert left == (0, 0)
    finally:
        drop_database(name)
