from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from notification_service.database import Base


class Preference(Base):
    """What one recipient (a lower-cased e-mail address) wants to hear."""

    __tablename__ = "preferences"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    muted_types: Mapped[list[str]] = mapped_column(
        ARRAY(String(50)), server_default=text("'{}'::varchar[]")
    )
    min_severity: Mapped[str] = mapped_column(String(20), server_default=text("'info'"))
    digest: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    updated_by: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        CheckConstraint("min_severity IN ('info', 'warning', 'critical')", name="min_severity"),
    )
