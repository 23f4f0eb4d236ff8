"""One row per published version: the exact document and the classified changes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from contract_service.database import Base
from datapact_common.timeutil import utcnow


class ContractVersion(Base):
    __tablename__ = "contract_versions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(50))
    contract_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    change_summary: Mapped[str | None] = mapped_column(Text)
    # The classified changes from the previous version (datapact_common.diff.Change dicts).
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    changed_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # The backstop against two concurrent writers publishing the same version.
    __table_args__ = (UniqueConstraint("contract_id", "version"),)
