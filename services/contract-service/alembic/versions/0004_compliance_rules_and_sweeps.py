"""compliance_checks.rule and .sweep_id: per-rule results, recorded once per sweep.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "compliance_checks",
        sa.Column("rule", sa.String(length=200), nullable=False, server_default=""),
    )
    op.add_column("compliance_checks", sa.Column("sweep_id", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_compliance_checks_sweep",
        "compliance_checks",
        ["sweep_id", "contract_id", "check_type", "rule"],
        unique=True,
        postgresql_where=sa.text("sweep_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_compliance_checks_sweep", table_name="compliance_checks")
    op.drop_column("compliance_checks", "sweep_id")
    op.drop_column("compliance_checks", "rule")
