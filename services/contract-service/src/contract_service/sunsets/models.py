"""Which sunset notices were sent: one row per (contract, field, sunset, stage)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contract_service.database import Base
from datapact_common.timeutil import utcnow


class SunsetNotice(Base):
    """A notice (``stage`` = ``notice``) or reminder (``14d``, ``7d``, ``1d``) sent for a
    deprecated field. The unique key is the de-duplication: two sweeps at once send one."""

    __tablename__ = "sunset_notices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(255))
    sunset: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint(
            "contract_id", "field", "sunset", "stage", postgresql_nulls_not_distinct=True
        ),
    )
