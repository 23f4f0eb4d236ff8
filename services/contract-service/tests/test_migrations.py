"""Alembic: the models match the migrations; upgrade -> downgrade base -> upgrade works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from datapact_testing.migrations import assert_round_trip
from datapact_testing.postgres import alembic, async_url, create_database, drop_database, sync_dsn
from datapact_testing.postgres import test_database_name as unique_database_name

SERVICE_DIR = Path(__file__).resolve().parents[1]
TABLES = {
    "access_configs", "alembic_version", "change_proposals", "compliance_checks",
    "contract_fields", "contract_versions", "contracts", "event_outbox", "proposal_answers",
    "proposal_checks", "proposal_link_uses",
    "quality_metrics", "subscribers", "sunset_notices", "webhook_deliveries",
}  # fmt: skip


@pytest.fixture
def scratch_database() -> Iterator[str]:
    name = unique_database_name("test_contracts_migrations")
    create_database(name)
    yield name
    drop_database(name)


def tables(name: str) -> set[str]:
    with psycopg.connect(sync_dsn(name)) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {r[0] for r in rows}


def run(name: str, *args: str) -> str:
    url = async_url(name)
    result = alembic(SERVICE_DIR, url, "-x", f"database_url={url}", *args)
    return result.stdout + result.stderr


def test_upgrade_check_downgrade_upgrade(scratch_database: str) -> None:
    def trigram_extension_dropped() -> None:
        with psycopg.connect(sync_dsn(scratch_database)) as conn:
            assert conn.execute(
                "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
            ).fetchone() == (0,)

    assert_round_trip(SERVICE_DIR, scratch_database, TABLES, at_base=trigram_extension_dropped)


def test_list_filters_are_indexed(scratch_database: str) -> None:
    run(scratch_database, "upgrade", "head")
    with psycopg.connect(sync_dsn(scratch_database)) as conn:
        rows = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contracts'"
        ).fetchall()
    definitions = dict(rows)
    assert "gin_trgm_ops" in definitions["ix_contracts_search_text_trgm"]
    assert "USING gin (tags)" in definitions["ix_contracts_tags"]
    assert "(updated_at, id)" in definitions["ix_contracts_updated_at_id"]
    assert "(publisher_team, status)" in definitions["ix_contracts_publisher_team_status"]
    assert "UNIQUE" in definitions["uq_contracts_name"]
