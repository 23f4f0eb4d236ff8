"""contracts.document_json: the current document serialized in model key order, served as-is.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contracts", sa.Column("document_json", sa.Text(), nullable=True))
    # Existing rows: PostgreSQL's own rendering of the same document (valid JSON; key
    # order is that of JSONB until the contract is next written).
    op.execute("UPDATE contracts SET document_json = document::text")
    op.alter_column("contracts", "document_json", nullable=False)


def downgrade() -> None:
    op.drop_column("contracts", "document_json")
