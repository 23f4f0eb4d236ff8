from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, Index, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from notification_service.database import Base


class WatcherStatus(StrEnum):
    ACTIVE = "active"
    # Added for someone else's address: told nothing until that address confirms.
    PENDING = "pending"


class Watcher(Base):
    """Someone following a contract, a team's contracts, or (neither set) everything."""

    __tablename__ = "watchers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    channel: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(320))
    contract_name: Mapped[str | None] = mapped_column(String(255))
    team: Mapped[str | None] = mapped_column(String(255))
    # Empty = every event type.
    event_types: Mapped[list[str]] = mapped_column(
        ARRAY(String(50)), server_default=text("'{}'::varchar[]")
    )
    status: Mapped[str] = mapped_column(String(10), server_default=text("'active'"))
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("channel IN ('email', 'slack')", name="channel"),
        CheckConstraint("contract_name IS NULL OR team IS NULL", name="one_scope"),
        CheckConstraint("status IN ('active', 'pending')", name="status"),
        Index(
            "uq_watchers_subscription",
            "channel",
            "target",
            "contract_name",
            "team",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
        Index("ix_watchers_contract_name", "contract_name"),
        Index("ix_watchers_team", "team"),
        Index("ix_watchers_target", "target"),
    )
