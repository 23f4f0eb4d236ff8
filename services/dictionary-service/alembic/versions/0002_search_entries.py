"""Search read model: one search entry per dataset and per field, the lexicon of name words.

The full-text vectors move from ``datasets``/``fields`` to ``search_entries``; typo
correction moves to a trigram index on ``search_words``. The read model is emptied (and the
sync cursor reset), so the next sync pass rebuilds it from the registry.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:00:25.019489
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _empty_read_model() -> None:
    # A read model: emptied here, refilled from the registry by the next sync pass.
    op.execute("DELETE FROM datasets")  # fields, relationships, ... follow (ON DELETE CASCADE)
    op.execute("DELETE FROM sync_state")


def upgrade() -> None:
    _empty_read_model()
    op.create_table('search_words',
    sa.Column('word', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )
    op.create_index('ix_search_words_word_trgm', 'search_words', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})
    op.create_table('search_entries',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('dataset_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('dataset_name', sa.String(length=255), nullable=False),
    sa.Column('field_name', sa.String(length=255), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_words', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('keywords', sa.Text(), nullable=False),
    sa.Column('data_type', sa.String(length=32), nullable=True),
    sa.Column('is_pii', sa.Boolean(), nullable=True),
    sa.Column('is_primary_key', sa.Boolean(), nullable=True),
    sa.Column('is_foreign_key', sa.Boolean(), nullable=True),
    sa.Column('foreign_key_reference', sa.String(length=512), nullable=True),
    sa.Column('team', sa.String(length=255), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=100)), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed("setweight(to_tsvector('english'::regconfig, name_words), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || setweight(to_tsvector('english'::regconfig, keywords), 'C')", persisted=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_search_entries_dataset_id_datasets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries'))
    )
    op.create_index('ix_search_entries_data_type', 'search_entries', ['data_type'], unique=False)
    op.create_index(op.f('ix_search_entries_dataset_id'), 'search_entries', ['dataset_id'], unique=False)
    op.create_index('ix_search_entries_pii', 'search_entries', ['is_pii'], unique=False, postgresql_where=sa.text('is_pii'))
    op.create_index('ix_search_entries_search_vector', 'search_entries', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index('ix_search_entries_tags', 'search_entries', ['tags'], unique=False, postgresql_using='gin')
    op.create_index('ix_search_entries_team', 'search_entries', ['team'], unique=False)
    op.drop_index(op.f('ix_datasets_name_words_trgm'), table_name='datasets', postgresql_ops={'name_words': 'gin_trgm_ops'}, postgresql_using='gin')
    op.drop_index(op.f('ix_datasets_search_vector'), table_name='datasets', postgresql_using='gin')
    op.drop_index(op.f('ix_datasets_tags'), table_name='datasets', postgresql_using='gin')
    op.drop_column('datasets', 'search_vector')  # generated from the two below: first
    op.drop_column('datasets', 'keywords')
    op.drop_column('datasets', 'name_words')
    op.drop_index(op.f('ix_fields_data_type'), table_name='fields')
    op.drop_index(op.f('ix_fields_is_pii'), table_name='fields')
    op.drop_index(op.f('ix_fields_name_words_trgm'), table_name='fields', postgresql_ops={'name_words': 'gin_trgm_ops'}, postgresql_using='gin')
    op.drop_index(op.f('ix_fields_search_vector'), table_name='fields', postgresql_using='gin')
    op.drop_column('fields', 'search_vector')  # generated from the two below: first
    op.drop_column('fields', 'keywords')
    op.drop_column('fields', 'name_words')


def downgrade() -> None:
    _empty_read_model()
    op.add_column('fields', sa.Column('name_words', sa.TEXT(), autoincrement=False, nullable=False))
    op.add_column('fields', sa.Column('keywords', sa.TEXT(), server_default=sa.text("''::text"), autoincrement=False, nullable=False))
    op.add_column('fields', sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed('((setweight(to_tsvector(\'english\'::regconfig, name_words), \'A\'::"char") || setweight(to_tsvector(\'english\'::regconfig, COALESCE(description, \'\'::text)), \'B\'::"char")) || setweight(to_tsvector(\'english\'::regconfig, keywords), \'C\'::"char"))', persisted=True), autoincrement=False, nullable=False))
    op.create_index(op.f('ix_fields_search_vector'), 'fields', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_fields_name_words_trgm'), 'fields', ['name_words'], unique=False, postgresql_ops={'name_words': 'gin_trgm_ops'}, postgresql_using='gin')
    op.create_index(op.f('ix_fields_is_pii'), 'fields', ['is_pii'], unique=False)
    op.create_index(op.f('ix_fields_data_type'), 'fields', ['data_type'], unique=False)
    op.add_column('datasets', sa.Column('name_words', sa.TEXT(), autoincrement=False, nullable=False))
    op.add_column('datasets', sa.Column('keywords', sa.TEXT(), server_default=sa.text("''::text"), autoincrement=False, nullable=False))
    op.add_column('datasets', sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed('((setweight(to_tsvector(\'english\'::regconfig, name_words), \'A\'::"char") || setweight(to_tsvector(\'english\'::regconfig, COALESCE(description, \'\'::text)), \'B\'::"char")) || setweight(to_tsvector(\'english\'::regconfig, keywords), \'C\'::"char"))', persisted=True), autoincrement=False, nullable=False))
    op.create_index(op.f('ix_datasets_tags'), 'datasets', ['tags'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_datasets_search_vector'), 'datasets', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_datasets_name_words_trgm'), 'datasets', ['name_words'], unique=False, postgresql_ops={'name_words': 'gin_trgm_ops'}, postgresql_using='gin')
    op.drop_index('ix_search_entries_team', table_name='search_entries')
    op.drop_index('ix_search_entries_tags', table_name='search_entries', postgresql_using='gin')
    op.drop_index('ix_search_entries_search_vector', table_name='search_entries', postgresql_using='gin')
    op.drop_index('ix_search_entries_pii', table_name='search_entries', postgresql_where=sa.text('is_pii'))
    op.drop_index(op.f('ix_search_entries_dataset_id'), table_name='search_entries')
    op.drop_index('ix_search_entries_data_type', table_name='search_entries')
    op.drop_table('search_entries')
    op.drop_index('ix_search_words_word_trgm', table_name='search_words', postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})
    op.drop_table('search_words')
