"""Notifications: the proposal answers a recipient is asked for (``answer_for``).

What the send path needs to sign a ``breaking_change_proposed`` e-mail's approve and object
links for the teams its recipient answers for: the proposal, the teams, when the notice
ends. The links themselves are signed as the e-mail is sent and never stored. NULL for every
other notification, and for those written before this revision (sent without links).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 02:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "notifications",
        sa.Column("answer_for", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("notifications", "answer_for")
