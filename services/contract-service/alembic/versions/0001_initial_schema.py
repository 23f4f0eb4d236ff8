"""Initial schema: contracts and their parts, versions, subscribers, compliance checks,
the event outbox and webhook deliveries.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 20:01:40.849970+00:00
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
    # Trigram index for the `q` text search on contracts.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('contracts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('table_name', sa.String(length=255), nullable=True),
    sa.Column('publisher_team', sa.String(length=255), nullable=False),
    sa.Column('publisher_owner', sa.String(length=255), nullable=False),
    sa.Column('repository_url', sa.String(length=500), nullable=True),
    sa.Column('contact_email', sa.String(length=320), nullable=True),
    sa.Column('tags', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('metadata', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('document', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('compliance', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('name', name=op.f('uq_contracts_name'))
    )
    op.create_index('ix_contracts_publisher_team_status', 'contracts', ['publisher_team', 'status'], unique=False)
    op.create_index('ix_contracts_search_text_trgm', 'contracts', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.create_index(op.f('ix_contracts_status'), 'contracts', ['status'], unique=False)
    op.create_index('ix_contracts_tags', 'contracts', ['tags'], unique=False, postgresql_using='gin')
    op.create_index('ix_contracts_updated_at_id', 'contracts', ['updated_at', 'id'], unique=False)
    op.create_table('event_outbox',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=50), nullable=False),
    sa.Column('contract_name', sa.String(length=255), nullable=False),
    sa.Column('envelope', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_outbox'))
    )
    op.create_index(op.f('ix_event_outbox_contract_name'), 'event_outbox', ['contract_name'], unique=False)
    op.create_index('ix_event_outbox_pending', 'event_outbox', ['next_attempt_at'], unique=False, postgresql_where=sa.text('delivered_at IS NULL'))
    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('delivery_id', sa.Text(), nullable=False),
    sa.Column('event', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=True),
    sa.Column('repository', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    sa.UniqueConstraint('delivery_id', name=op.f('uq_webhook_deliveries_delivery_id'))
    )
    op.create_index(op.f('ix_webhook_deliveries_repository'), 'webhook_deliveries', ['repository'], unique=False)
    op.create_index('ix_webhook_deliveries_status_received', 'webhook_deliveries', ['status', 'received_at'], unique=False)
    op.create_table('access_configs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('endpoint_url', sa.String(length=500), nullable=False),
    sa.Column('methods', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('auth_type', sa.String(length=50), nullable=False),
    sa.Column('required_scopes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('rate_limit', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_access_configs_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_configs')),
    sa.UniqueConstraint('contract_id', name=op.f('uq_access_configs_contract_id'))
    )
    op.create_table('compliance_checks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('contract_version', sa.String(length=50), nullable=True),
    sa.Column('check_type', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_compliance_checks_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compliance_checks'))
    )
    op.create_index(op.f('ix_compliance_checks_checked_at'), 'compliance_checks', ['checked_at'], unique=False)
    op.create_index('ix_compliance_checks_contract_time', 'compliance_checks', ['contract_id', 'checked_at'], unique=False)
    op.create_index('ix_compliance_checks_contract_type_time', 'compliance_checks', ['contract_id', 'check_type', 'checked_at'], unique=False)
    op.create_table('contract_fields',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('data_type', sa.String(length=50), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('nullable', sa.Boolean(), nullable=False),
    sa.Column('is_pii', sa.Boolean(), nullable=False),
    sa.Column('is_primary_key', sa.Boolean(), nullable=False),
    sa.Column('is_foreign_key', sa.Boolean(), nullable=False),
    sa.Column('foreign_key_reference', sa.String(length=511), nullable=True),
    sa.Column('unique', sa.Boolean(), nullable=False),
    sa.Column('example_value', postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
    sa.Column('constraints', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_fields_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_fields')),
    sa.UniqueConstraint('contract_id', 'name', name=op.f('uq_contract_fields_contract_id'))
    )
    op.create_index(op.f('ix_contract_fields_foreign_key_reference'), 'contract_fields', ['foreign_key_reference'], unique=False)
    op.create_index(op.f('ix_contract_fields_is_pii'), 'contract_fields', ['is_pii'], unique=False)
    op.create_index(op.f('ix_contract_fields_name'), 'contract_fields', ['name'], unique=False)
    op.create_table('contract_versions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('contract_snapshot', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('change_summary', sa.Text(), nullable=True),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('changed_by', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_versions_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_versions')),
    sa.UniqueConstraint('contract_id', 'version', name=op.f('uq_contract_versions_contract_id'))
    )
    op.create_table('quality_metrics',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('metric_type', sa.String(length=50), nullable=False),
    sa.Column('threshold', sa.String(length=100), nullable=False),
    sa.Column('threshold_value', sa.Float(), nullable=False),
    sa.Column('threshold_unit', sa.String(length=10), nullable=False),
    sa.Column('measurement_method', sa.Text(), nullable=True),
    sa.Column('alert_on_breach', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_quality_metrics_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_metrics')),
    sa.UniqueConstraint('contract_id', 'metric_type', name=op.f('uq_quality_metrics_contract_id'))
    )
    op.create_table('subscribers',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contract_id', sa.Uuid(), nullable=False),
    sa.Column('team', sa.String(length=255), nullable=False),
    sa.Column('use_case', sa.Text(), nullable=True),
    sa.Column('fields_used', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('contact_email', sa.String(length=320), nullable=True),
    sa.Column('subscribed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_subscribers_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscribers')),
    sa.UniqueConstraint('contract_id', 'team', name=op.f('uq_subscribers_contract_id'))
    )
    op.create_index(op.f('ix_subscribers_team'), 'subscribers', ['team'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_subscribers_team'), table_name='subscribers')
    op.drop_table('subscribers')
    op.drop_table('quality_metrics')
    op.drop_table('contract_versions')
    op.drop_index(op.f('ix_contract_fields_name'), table_name='contract_fields')
    op.drop_index(op.f('ix_contract_fields_is_pii'), table_name='contract_fields')
    op.drop_index(op.f('ix_contract_fields_foreign_key_reference'), table_name='contract_fields')
    op.drop_table('contract_fields')
    op.drop_index('ix_compliance_checks_contract_type_time', table_name='compliance_checks')
    op.drop_index('ix_compliance_checks_contract_time', table_name='compliance_checks')
    op.drop_index(op.f('ix_compliance_checks_checked_at'), table_name='compliance_checks')
    op.drop_table('compliance_checks')
    op.drop_table('access_configs')
    op.drop_index('ix_webhook_deliveries_status_received', table_name='webhook_deliveries')
    op.drop_index(op.f('ix_webhook_deliveries_repository'), table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index('ix_event_outbox_pending', table_name='event_outbox', postgresql_where=sa.text('delivered_at IS NULL'))
    op.drop_index(op.f('ix_event_outbox_contract_name'), table_name='event_outbox')
    op.drop_table('event_outbox')
    op.drop_index('ix_contracts_updated_at_id', table_name='contracts')
    op.drop_index('ix_contracts_tags', table_name='contracts', postgresql_using='gin')
    op.drop_index(op.f('ix_contracts_status'), table_name='contracts')
    op.drop_index('ix_contracts_search_text_trgm', table_name='contracts', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.drop_index('ix_contracts_publisher_team_status', table_name='contracts')
    op.drop_table('contracts')
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
