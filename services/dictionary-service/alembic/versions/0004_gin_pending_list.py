"""GIN pending list of 64 kB for the search entries' full-text and tag indexes.

With the default ``gin_pending_list_limit`` (4 MB) a sync leaves tens of thousands of new
entries in each GIN index's pending list, which every search scans linearly until autovacuum
merges it; 64 kB merges every few hundred entries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = ('ix_search_entries_search_vector', 'ix_search_entries_tags')


def upgrade() -> None:
    for index in INDEXES:
        op.execute(f'ALTER INDEX {index} SET (gin_pending_list_limit = 64)')
        # whatever is pending now is merged at once
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    for index in INDEXES:
        op.execute(f'ALTER INDEX {index} RESET (gin_pending_list_limit)')
