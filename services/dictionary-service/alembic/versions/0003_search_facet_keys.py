"""Facet keys: search entries point at their distinct facet values and tag list.

``search_facets`` holds each distinct (kind, data type, PII flag, team, status) and
``search_tag_sets`` each distinct tag list; ``search_entries.facet_id`` / ``tag_set_id``
point at them, so a search counts facets over two integers per hit. The upgrade fills both
from the entries already there (no re-sync needed); the downgrade drops them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('search_facets',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('data_type', sa.String(length=32), nullable=True),
    sa.Column('is_pii', sa.Boolean(), nullable=True),
    sa.Column('team', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_facets'))
    )
    op.create_index('ux_search_facets_values', 'search_facets', ['team', 'kind', 'data_type', 'is_pii', 'status'], unique=True, postgresql_nulls_not_distinct=True)
    op.create_table('search_tag_sets',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=100)), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_tag_sets'))
    )
    op.create_index('ux_search_tag_sets_tags', 'search_tag_sets', ['tags'], unique=True)
    op.add_column('search_entries', sa.Column('facet_id', sa.Integer(), nullable=True))
    op.add_column('search_entries', sa.Column('tag_set_id', sa.Integer(), nullable=True))
    # Keys for the entries already there.
    op.execute(
        "INSERT INTO search_facets (kind, data_type, is_pii, team, status)"
        " SELECT DISTINCT kind, data_type, is_pii, team, status FROM search_entries"
    )
    op.execute("INSERT INTO search_tag_sets (tags) SELECT DISTINCT tags FROM search_entries")
    op.execute(
        "UPDATE search_entries e SET facet_id = f.id, tag_set_id = t.id"
        " FROM search_facets f, search_tag_sets t"
        " WHERE f.kind = e.kind AND f.data_type IS NOT DISTINCT FROM e.data_type"
        " AND f.is_pii IS NOT DISTINCT FROM e.is_pii AND f.team = e.team"
        " AND f.status = e.status AND t.tags = e.tags"
    )
    op.alter_column('search_entries', 'facet_id', nullable=False)
    op.alter_column('search_entries', 'tag_set_id', nullable=False)


def downgrade() -> None:
    op.drop_column('search_entries', 'tag_set_id')
    op.drop_column('search_entries', 'facet_id')
    op.drop_index('ux_search_tag_sets_tags', table_name='search_tag_sets')
    op.drop_table('search_tag_sets')
    op.drop_index('ux_search_facets_values', table_name='search_facets', postgresql_nulls_not_distinct=True)
    op.drop_table('search_facets')
