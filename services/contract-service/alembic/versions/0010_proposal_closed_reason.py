"""change_proposals.closed_reason: why a proposal was closed when no person said so
(a pull request closed unmerged withdraws the proposal it opened).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("change_proposals", sa.Column("closed_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("change_proposals", "closed_reason")
