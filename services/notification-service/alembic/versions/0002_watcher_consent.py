"""Watchers: pending until the address confirms (when someone else added it).

Existing watchers stay active: they were added under the old rules, and stopping them
silently would lose alerts their owners expect. Remove unwanted ones with DELETE.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "watchers",
        sa.Column(
            "status", sa.String(length=10), server_default=sa.text("'active'"), nullable=False
        ),
    )
    op.add_column(
        "watchers", sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_check_constraint(
        op.f("ck_watchers_status"), "watchers", "status IN ('active', 'pending')"
    )


def downgrade() -> None:
    # Pending watchers were never agreed to: they do not survive a downgrade (the old
    # schema would make them active).
    op.execute("DELETE FROM watchers WHERE status = 'pending'")
    op.drop_constraint(op.f("ck_watchers_status"), "watchers", type_="check")
    op.drop_column("watchers", "confirmed_at")
    op.drop_column("watchers", "status")
