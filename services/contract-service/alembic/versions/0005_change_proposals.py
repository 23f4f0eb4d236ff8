"""change_proposals and proposal_answers: breaking changes negotiated with their teams.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_proposals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("contract_name", sa.String(length=255), nullable=False),
        sa.Column("base_version", sa.String(length=50), nullable=False),
        sa.Column("proposed_version", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("affected_teams", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("policy", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("proposed_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=255), nullable=True),
        sa.Column("superseded_by", sa.Uuid(), nullable=True),
        sa.Column("override_by", sa.String(length=255), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_change_proposals_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_proposals")),
    )
    op.create_index(
        "ix_change_proposals_contract_id_created_at",
        "change_proposals",
        ["contract_id", "created_at"],
    )
    op.create_index(
        "uq_change_proposals_one_open",
        "change_proposals",
        ["contract_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "proposal_answers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column("team", sa.String(length=255), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=255), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["change_proposals.id"],
            name=op.f("fk_proposal_answers_proposal_id_change_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_answers")),
    )
    op.create_index(
        op.f("ix_proposal_answers_proposal_id"), "proposal_answers", ["proposal_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_proposal_answers_proposal_id"), table_name="proposal_answers")
    op.drop_table("proposal_answers")
    op.drop_index("uq_change_proposals_one_open", table_name="change_proposals")
    op.drop_index("ix_change_proposals_contract_id_created_at", table_name="change_proposals")
    op.drop_table("change_proposals")
