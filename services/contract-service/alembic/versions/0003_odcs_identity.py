"""contracts.odcs_id/odcs_object: the ODCS document and schema object a contract came from.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contracts", sa.Column("odcs_id", sa.String(length=255), nullable=True))
    op.add_column("contracts", sa.Column("odcs_object", sa.String(length=255), nullable=True))
    op.execute(
        "UPDATE contracts SET odcs_id = document->'odcs'->>'id', "
        "odcs_object = document->'odcs'->>'object' WHERE document->'odcs' IS NOT NULL "
        "AND jsonb_typeof(document->'odcs') = 'object'"
    )
    op.create_unique_constraint(
        op.f("uq_contracts_odcs_id"), "contracts", ["odcs_id", "odcs_object"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("uq_contracts_odcs_id"), "contracts", type_="unique")
    op.drop_column("contracts", "odcs_object")
    op.drop_column("contracts", "odcs_id")
