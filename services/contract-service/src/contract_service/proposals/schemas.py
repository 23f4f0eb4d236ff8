"""Proposal bodies (request models, and the response shapes for the OpenAPI document)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from datapact_common.contract_schema import Team


class AnswerRequest(BaseModel):
    """An affected team's answer to a proposal."""

    model_config = ConfigDict(extra="forbid")

    team: Team = Field(description="the affected team answering; the token must hold it")
    comment: Annotated[str, StringConstraints(max_length=5000)] | None = None


class PublishRequest(BaseModel):
    """Publish the proposed version; an admin may override a policy that does not hold."""

    model_config = ConfigDict(extra="forbid")

    override: bool = Field(
        default=False, description="admins only: publish even though the policy does not hold"
    )
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = Field(
        default=None, description="why (required with override; recorded and announced)"
    )


class TeamAnswer(BaseModel):
    team: str
    answer: Literal["approved", "objected", "pending"]
    comment: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None


class AnswerRecord(BaseModel):
    team: str
    answer: Literal["approved", "objected"]
    comment: str | None = None
    answered_by: str
    answered_at: datetime


class VerdictOut(BaseModel):
    publishable: bool
    reason: str
    summary: str = Field(description='e.g. "2 of 3 affected teams approved; `finance` pending"')
    approved: list[str]
    objected: list[str]
    pending: list[str]
    notice_ends_at: datetime | None = None


class OverrideOut(BaseModel):
    by: str
    reason: str | None = None


class ProposalOut(BaseModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    contract_name: str
    base_version: str
    proposed_version: str
    status: Literal["open", "published", "superseded", "withdrawn", "stale"]
    proposed_by: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None
    closed_reason: str | None = Field(
        default=None,
        description="why it was closed, when no person decided it: "
        '"pull request #12 closed unmerged"',
    )
    superseded_by: uuid.UUID | None = None
    policy: dict[str, Any] | None = Field(description="the change policy it was proposed under")
    changes: list[dict[str, Any]] = Field(description="the classified changes from the base")
    affected_teams: list[str]
    answers: list[TeamAnswer] = Field(description="each affected team's latest answer")
    history: list[AnswerRecord] = Field(description="every answer, oldest first")
    verdict: VerdictOut
    override: OverrideOut | None = None
    document: dict[str, Any] | None = Field(
        default=None, description="the proposed document (in the single-proposal read)"
    )


class ProposalList(BaseModel):
    proposals: list[ProposalOut]
    contract_id: uuid.UUID | None = None
    name: str | None = None
