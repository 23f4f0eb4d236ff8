"""The event envelope (docs/design.md §5) and the typed payload of each event type."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from datapact_common.timeutil import utcnow


class EventType(StrEnum):
    SCHEMA_DRIFT = "schema_drift"
    QUALITY_BREACH = "quality_breach"
    AVAILABILITY_BREACH = "availability_breach"
    COMPLIANCE_RECOVERED = "compliance_recovered"
    PR_BLOCKED = "pr_blocked"
    BREAKING_CHANGE_PROPOSED = "breaking_change_proposed"
    CONTRACT_UPDATED = "contract_updated"
    DEPRECATION_WARNING = "deprecation_warning"


class EventSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "critical": 2}[self.value]


class _Payload(BaseModel):
    """Common to every payload: the fields the happening concerns (for recipient filtering)."""

    model_config = ConfigDict(extra="allow")

    contract_id: str | None = None
    fields: list[str] = Field(
        default_factory=list, description="affected fields; empty = the contract as a whole"
    )


class SchemaDriftPayload(_Payload):
    check_type: str = "schema"
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)


class QualityBreachPayload(_Payload):
    check_type: str = Field(description="freshness | completeness | uniqueness | accuracy")
    expected: str | None = None
    actual: str | None = None
    message: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class AvailabilityBreachPayload(_Payload):
    endpoint: str | None = None
    expected: str | None = None
    actual: str | None = None
    error: str | None = None


class ComplianceRecoveredPayload(_Payload):
    check_type: str
    failing_since: datetime | None = None


class PullRequestInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    repository: str
    number: int
    url: str | None = None
    title: str | None = None
    head_sha: str | None = None
    author: str | None = None


class ChangeSummary(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: str
    severity: str
    field: str | None = None
    message: str
    affected_subscribers: list[str] = Field(default_factory=list)


class PrBlockedPayload(_Payload):
    pull_request: PullRequestInfo
    reasons: list[str] = Field(default_factory=list)
    check_run_url: str | None = None


class ProposalInfo(BaseModel):
    """A change proposal of the registry (docs/workflow.md): what the teams answer."""

    model_config = ConfigDict(extra="allow")

    id: str
    base_version: str
    proposed_version: str
    proposed_by: str | None = None
    notice_ends_at: datetime | None = None
    require_approval: bool | None = None
    supersedes: str | None = None


class BreakingChangeProposedPayload(_Payload):
    """A breaking change proposed by a pull request (``pull_request``) or by a proposal in
    the registry (``proposal``)."""

    pull_request: PullRequestInfo | None = None
    proposal: ProposalInfo | None = None
    changes: list[ChangeSummary] = Field(default_factory=list)
    affected_subscribers: list[str] = Field(default_factory=list)


class ContractUpdatedPayload(_Payload):
    old_version: str | None = None
    new_version: str
    changed_by: str | None = None
    changes: list[ChangeSummary] = Field(default_factory=list)
    required_bump: str | None = None


class DeprecationWarningPayload(_Payload):
    changed_by: str | None = None
    reason: str | None = None


PAYLOAD_MODELS: dict[EventType, type[_Payload]] = {
    EventType.SCHEMA_DRIFT: SchemaDriftPayload,
    EventType.QUALITY_BREACH: QualityBreachPayload,
    EventType.AVAILABILITY_BREACH: AvailabilityBreachPayload,
    EventType.COMPLIANCE_RECOVERED: ComplianceRecoveredPayload,
    EventType.PR_BLOCKED: PrBlockedPayload,
    EventType.BREAKING_CHANGE_PROPOSED: BreakingChangeProposedPayload,
    EventType.CONTRACT_UPDATED: ContractUpdatedPayload,
    EventType.DEPRECATION_WARNING: DeprecationWarningPayload,
}


class EventEnvelope(BaseModel):
    """One envelope for every event. The payload is validated against its type's model."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: EventType
    occurred_at: AwareDatetime = Field(default_factory=utcnow)
    source: str = Field(min_length=1, max_length=100)
    contract_name: str = Field(min_length=1, max_length=255)
    contract_version: str | None = Field(default=None, max_length=50)
    severity: EventSeverity = EventSeverity.INFO
    title: str = Field(min_length=1, max_length=500)
    payload: dict[str, Any] = Field(default_factory=dict)
    dedup_key: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _typed_payload(self) -> EventEnvelope:
        model = PAYLOAD_MODELS[self.type]
        self.payload = model.model_validate(self.payload).model_dump(mode="json")
        if not self.dedup_key:
            self.dedup_key = f"{self.type}:{self.contract_name}"
        return self

    def typed_payload(self) -> _Payload:
        return PAYLOAD_MODELS[self.type].model_validate(self.payload)

    @property
    def affected_fields(self) -> list[str]:
        fields = self.payload.get("fields") or []
        return [str(f) for f in fields]
