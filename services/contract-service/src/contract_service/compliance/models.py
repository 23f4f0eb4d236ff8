"""Compliance check results (written by the compliance monitor)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from contract_service.database import Base
from datapact_common.timeutil import utcnow


class ComplianceCheck(Base):
    __tablename__ = "compliance_checks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    contract_version: Mapped[str | None] = mapped_column(String(50))
    check_type: Mapped[str] = mapped_column(String(50))
    # The rule a per-rule result judges (``price:min``); empty for a whole check type.
    rule: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The sweep that recorded it: a sweep re-posted records nothing twice.
    sweep_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    error_message: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (
        Index("ix_compliance_checks_contract_type_time", "contract_id", "check_type", "checked_at"),
        Index("ix_compliance_checks_contract_time", "contract_id", "checked_at"),
        Index(
            "uq_compliance_checks_sweep",
            "sweep_id",
            "contract_id",
            "check_type",
            "rule",
            unique=True,
            postgresql_where=text("sweep_id IS NOT NULL"),
        ),
    )
