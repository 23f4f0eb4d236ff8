"""Subscriber rows; the current contract document mirrors them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from contract_service.database import Base
from datapact_common.timeutil import utcnow


class SubscriberRecord(Base):
    __tablename__ = "subscribers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    team: Mapped[str] = mapped_column(String(255), index=True)
    use_case: Mapped[str | None] = mapped_column(Text)
    fields_used: Mapped[list[str]] = mapped_column(JSONB, default=list)
    contact_email: Mapped[str | None] = mapped_column(String(320))
    subscribed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("contract_id", "team"),)
