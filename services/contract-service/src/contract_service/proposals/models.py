"""A proposed breaking change and the answers of the teams it affects."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from contract_service.database import Base
from datapact_common.timeutil import utcnow


class ProposalStatus(StrEnum):
    OPEN = "open"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"
    # The contract published another version than the proposal's base: it can no longer be
    # published as proposed.
    STALE = "stale"


class Answer(StrEnum):
    APPROVED = "approved"
    OBJECTED = "objected"


class ChangeProposal(Base):
    """One proposal. A contract has at most one open proposal: a new one supersedes it."""

    __tablename__ = "change_proposals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    contract_name: Mapped[str] = mapped_column(String(255))
    base_version: Mapped[str] = mapped_column(String(50))
    proposed_version: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    # The proposed document as it would be stored, the classified changes from the base
    # (datapact_common.diff.Change dicts), the teams whose answers count, and the change
    # policy of the contract when it was proposed.
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    affected_teams: Mapped[list[str]] = mapped_column(JSONB, default=list)
    policy: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    proposed_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(255))
    # Why, when the closing was no person's decision ("pull request #12 closed unmerged").
    closed_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[uuid.UUID | None] = mapped_column()
    # An admin who published over the policy, and why (recorded and announced).
    override_by: Mapped[str | None] = mapped_column(String(255))
    override_reason: Mapped[str | None] = mapped_column(Text)
    # When the notice sweep saw the notice period end (the PR checks then run again).
    notice_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_change_proposals_contract_id_created_at", "contract_id", "created_at"),
        # The backstop against two concurrent proposals both staying open.
        Index(
            "uq_change_proposals_one_open",
            "contract_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )


class ProposalAnswer(Base):
    """One answer of one team; a team may answer again (the latest counts), so the rows are
    the proposal's history and never updated."""

    __tablename__ = "proposal_answers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    proposal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("change_proposals.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[str] = mapped_column(String(255))
    answer: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str] = mapped_column(String(255))
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProposalLinkUse(Base):
    """An answer link used (its ``jti``): each link answers once (docs/workflow.md)."""

    __tablename__ = "proposal_link_uses"

    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    proposal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("change_proposals.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
