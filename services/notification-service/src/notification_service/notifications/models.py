from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from notification_service.database import Base


class Channel(StrEnum):
    EMAIL = "email"
    SLACK = "slack"


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


class SuppressedReason(StrEnum):
    DUPLICATE = "duplicate"
    RATE_LIMITED = "rate_limited"
    PREFERENCE = "preference"


DIGEST_TYPE = "digest"
# Asks an address to confirm the watchers someone else added for it (watchers/confirmation.py).
WATCH_CONFIRMATION_TYPE = "watch_confirmation"

# Rows that count as "told" (or about to be) for deduplication and rate limiting.
COUNTED_STATUSES = (Status.PENDING, Status.SENDING, Status.SENT)


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class RenderedEmail(Protocol):
    """A rendered e-mail (rendering.renderer.Rendered), as a notification row stores it."""

    @property
    def template(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...


class Notification(Base):
    """One message to one recipient on one channel; its id is the e-mail's Message-ID."""

    __tablename__ = "notifications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # NULL for digests, which summarise many events, and for watch confirmations.
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(50))
    contract_name: Mapped[str | None] = mapped_column(String(255))
    severity: Mapped[str] = mapped_column(String(20))
    dedup_key: Mapped[str | None] = mapped_column(String(500))
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(String(500))
    template: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(998))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    suppressed_reason: Mapped[str | None] = mapped_column(String(20))
    # Why it was suppressed, in words (e.g. "severity info is below warning").
    note: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # While ``sending``: the claim expires at lease_until (a dead worker's claim lapses).
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A rate-limited notification is summarised in the digest that names it here.
    digest_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    # A breaking_change_proposed e-mail to an affected team's contact: the proposal, the
    # teams it answers for and when the notice ends (recipients/answers.py). The approve and
    # object links are signed from it as the e-mail is sent, never stored.
    answer_for: Mapped[dict[str, Any] | None] = mapped_column(JSONB)

    __table_args__ = (
        UniqueConstraint("event_id", "recipient", "channel"),
        CheckConstraint(_in("status", Status), name="status"),
        CheckConstraint(_in("channel", Channel), name="channel"),
        CheckConstraint(
            f"(status = 'suppressed') = (suppressed_reason IS NOT NULL) AND "
            f"(suppressed_reason IS NULL OR {_in('suppressed_reason', SuppressedReason)})",
            name="suppressed_reason",
        ),
        Index("ix_notifications_recipient_created", "recipient", "created_at"),
        Index(
            "ix_notifications_dedup",
            "recipient",
            "event_type",
            "contract_name",
            "dedup_key",
            "created_at",
        ),
        Index("ix_notifications_contract_created", "contract_name", "created_at"),
        Index("ix_notifications_created", "created_at"),
        Index(
            "ix_notifications_due",
            "next_attempt_at",
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
        Index(
            "ix_notifications_undigested",
            "recipient",
            "created_at",
            postgresql_where=text("suppressed_reason = 'rate_limited' AND digest_id IS NULL"),
        ),
    )


def system_email(
    event_type: str, recipient: str, reason: str, rendered: RenderedEmail, **columns: Any
) -> Notification:
    """A pending e-mail DataPact sends of its own accord, about no one event or contract (a
    digest, a watch confirmation); ``columns``: any other column's value."""
    return Notification(
        id=uuid.uuid4(),
        event_id=None,
        event_type=event_type,
        contract_name=None,
        severity="info",
        dedup_key=None,
        channel=Channel.EMAIL.value,
        recipient=recipient,
        reason=reason,
        template=rendered.template,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        status=Status.PENDING.value,
        **columns,
    )
