"""Read model: datasets, fields, relationships, subscriptions, sync state.

Full-text (generated weighted tsvector + GIN) and trigram (pg_trgm, GIN) indexes.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 20:02:56.572886
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Trigram indexes for typo-tolerant name search; pg_trgm is a trusted extension, so the
    # database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('datasets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_words', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('publisher_team', sa.String(length=255), nullable=False),
    sa.Column('publisher_owner', sa.String(length=255), nullable=False),
    sa.Column('table_name', sa.String(length=255), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=100)), server_default='{}', nullable=False),
    sa.Column('keywords', sa.Text(), server_default='', nullable=False),
    sa.Column('field_count', sa.Integer(), nullable=False),
    sa.Column('pii_field_count', sa.Integer(), nullable=False),
    sa.Column('subscriber_count', sa.Integer(), nullable=False),
    sa.Column('source_created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('synced_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed("setweight(to_tsvector('english'::regconfig, name_words), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || setweight(to_tsvector('english'::regconfig, keywords), 'C')", persisted=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_datasets')),
    sa.UniqueConstraint('name', name=op.f('uq_datasets_name'))
    )
    op.create_index('ix_datasets_name_words_trgm', 'datasets', ['name_words'], unique=False, postgresql_using='gin', postgresql_ops={'name_words': 'gin_trgm_ops'})
    op.create_index(op.f('ix_datasets_publisher_team'), 'datasets', ['publisher_team'], unique=False)
    op.create_index('ix_datasets_search_vector', 'datasets', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_datasets_status'), 'datasets', ['status'], unique=False)
    op.create_index('ix_datasets_tags', 'datasets', ['tags'], unique=False, postgresql_using='gin')
    op.create_table('sync_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cursor', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_run_received', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_run_applied', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_runs', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_sync_state_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_state'))
    )
    op.create_table('fields',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('dataset_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_words', sa.Text(), nullable=False),
    sa.Column('data_type', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('nullable', sa.Boolean(), nullable=False),
    sa.Column('is_pii', sa.Boolean(), nullable=False),
    sa.Column('is_primary_key', sa.Boolean(), nullable=False),
    sa.Column('is_foreign_key', sa.Boolean(), nullable=False),
    sa.Column('is_unique', sa.Boolean(), nullable=False),
    sa.Column('foreign_key_reference', sa.String(length=512), nullable=True),
    sa.Column('example_value', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('constraints', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('keywords', sa.Text(), server_default='', nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed("setweight(to_tsvector('english'::regconfig, name_words), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') || setweight(to_tsvector('english'::regconfig, keywords), 'C')", persisted=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_fields_dataset_id_datasets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fields')),
    sa.UniqueConstraint('dataset_id', 'name', name=op.f('uq_fields_dataset_id'))
    )
    op.create_index(op.f('ix_fields_data_type'), 'fields', ['data_type'], unique=False)
    op.create_index(op.f('ix_fields_dataset_id'), 'fields', ['dataset_id'], unique=False)
    op.create_index(op.f('ix_fields_is_pii'), 'fields', ['is_pii'], unique=False)
    op.create_index('ix_fields_name_words_trgm', 'fields', ['name_words'], unique=False, postgresql_using='gin', postgresql_ops={'name_words': 'gin_trgm_ops'})
    op.create_index('ix_fields_search_vector', 'fields', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_table('relationships',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('dataset_id', sa.Uuid(), nullable=False),
    sa.Column('from_field', sa.String(length=255), nullable=False),
    sa.Column('to_dataset', sa.String(length=255), nullable=False),
    sa.Column('to_field', sa.String(length=255), nullable=False),
    sa.Column('nullable', sa.Boolean(), nullable=False),
    sa.Column('is_unique', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_relationships_dataset_id_datasets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationships')),
    sa.UniqueConstraint('dataset_id', 'from_field', name=op.f('uq_relationships_dataset_id'))
    )
    op.create_index(op.f('ix_relationships_dataset_id'), 'relationships', ['dataset_id'], unique=False)
    op.create_index(op.f('ix_relationships_to_dataset'), 'relationships', ['to_dataset'], unique=False)
    op.create_table('subscriptions',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('dataset_id', sa.Uuid(), nullable=False),
    sa.Column('team', sa.String(length=255), nullable=False),
    sa.Column('use_case', sa.Text(), nullable=True),
    sa.Column('fields_used', postgresql.ARRAY(sa.String(length=255)), server_default='{}', nullable=False),
    sa.Column('contact_email', sa.String(length=320), nullable=True),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], name=op.f('fk_subscriptions_dataset_id_datasets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    sa.UniqueConstraint('dataset_id', 'team', name=op.f('uq_subscriptions_dataset_id'))
    )
    op.create_index(op.f('ix_subscriptions_dataset_id'), 'subscriptions', ['dataset_id'], unique=False)
    op.create_index(op.f('ix_subscriptions_team'), 'subscriptions', ['team'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_subscriptions_team'), table_name='subscriptions')
    op.drop_index(op.f('ix_subscriptions_dataset_id'), table_name='subscriptions')
    op.drop_table('subscriptions')
    op.drop_index(op.f('ix_relationships_to_dataset'), table_name='relationships')
    op.drop_index(op.f('ix_relationships_dataset_id'), table_name='relationships')
    op.drop_table('relationships')
    op.drop_index('ix_fields_search_vector', table_name='fields', postgresql_using='gin')
    op.drop_index('ix_fields_name_words_trgm', table_name='fields', postgresql_using='gin', postgresql_ops={'name_words': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_fields_is_pii'), table_name='fields')
    op.drop_index(op.f('ix_fields_dataset_id'), table_name='fields')
    op.drop_index(op.f('ix_fields_data_type'), table_name='fields')
    op.drop_table('fields')
    op.drop_table('sync_state')
    op.drop_index('ix_datasets_tags', table_name='datasets', postgresql_using='gin')
    op.drop_index(op.f('ix_datasets_status'), table_name='datasets')
    op.drop_index('ix_datasets_search_vector', table_name='datasets', postgresql_using='gin')
    op.drop_index(op.f('ix_datasets_publisher_team'), table_name='datasets')
    op.drop_index('ix_datasets_name_words_trgm', table_name='datasets', postgresql_using='gin', postgresql_ops={'name_words': 'gin_trgm_ops'})
    op.drop_table('datasets')
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
