"""The single row that remembers how far the sync got and how its last run went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from dictionary_service.base import Base

SYNC_STATE_ID = 1


class SyncState(Base):
    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False, default=SYNC_STATE_ID
    )
    # The cursor: the newest contract `updated_at` applied so far. The next incremental
    # run asks for `updated_since = cursor - overlap`.
    cursor: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_run_received: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_run_applied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total_runs: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    __table_args__ = (CheckConstraint(f"id = {SYNC_STATE_ID}", name="single_row"),)
