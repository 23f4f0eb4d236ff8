"""GitHub webhook deliveries as received, so processing is idempotent and inspectable."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from contract_service.database import Base
from datapact_common.timeutil import utcnow


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # X-GitHub-Delivery: a re-delivered webhook keeps its id, so this dedupes.
    delivery_id: Mapped[str] = mapped_column(Text, unique=True)
    event: Mapped[str] = mapped_column(String(100))
    action: Mapped[str | None] = mapped_column(String(100))
    repository: Mapped[str | None] = mapped_column(String(500), index=True)
    # received | processing | processed | failed | ignored (owned by the GitHub integration)
    status: Mapped[str] = mapped_column(String(20), default="received")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_webhook_deliveries_status_received", "status", "received_at"),)


class ProposalCheck(Base):
    """A pull request whose check showed a contract's change proposal state: its latest
    delivery is checked again when a team answers (docs/workflow.md)."""

    __tablename__ = "proposal_checks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    repository: Mapped[str] = mapped_column(String(500))
    number: Mapped[int] = mapped_column(Integer)
    delivery_id: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("contract_id", "repository", "number"),)
