"""The event a proposal sends its affected teams (docs/design.md §5), built for the outbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contract_service.config import SERVICE_NAME
from contract_service.proposals.models import ChangeProposal
from datapact_common.events import (
    BreakingChangeProposedPayload,
    ChangeSummary,
    EventEnvelope,
    EventSeverity,
    EventType,
    ProposalInfo,
)


def breaking_change_proposed(
    proposal: ChangeProposal, gated: list[dict[str, Any]], supersedes: str | None
) -> EventEnvelope:
    """Once per proposal (its id is in the dedup key): a superseding proposal is news of
    its own, told to its own teams."""
    policy = proposal.policy or {}
    notice_days = policy.get("notice_days")
    payload = BreakingChangeProposedPayload(
        contract_id=str(proposal.contract_id),
        fields=sorted({str(c["field"]) for c in gated if c.get("field")}),
        proposal=ProposalInfo(
            id=str(proposal.id),
            base_version=proposal.base_version,
            proposed_version=proposal.proposed_version,
            proposed_by=proposal.proposed_by,
            notice_ends_at=(
                proposal.created_at + timedelta(days=int(notice_days))
                if notice_days is not None
                else None
            ),
            require_approval=policy.get("require_approval"),
            supersedes=supersedes,
        ),
        changes=[
            ChangeSummary(
                kind=str(c["kind"]),
                severity=str(c["severity"]),
                field=c.get("field"),
                message=str(c["message"]),
                affected_subscribers=list(c.get("affected_subscribers") or []),
            )
            for c in gated
        ],
        affected_subscribers=proposal.affected_teams,
    )
    return EventEnvelope(
        type=EventType.BREAKING_CHANGE_PROPOSED,
        source=SERVICE_NAME,
        contract_name=proposal.contract_name,
        contract_version=proposal.proposed_version,
        severity=EventSeverity.CRITICAL,
        title=(
            f"Breaking change proposed for {proposal.contract_name} "
            f"{proposal.base_version} -> {proposal.proposed_version}: your answer is asked"
        )[:500],
        payload=payload.model_dump(mode="json"),
        dedup_key=f"breaking_change_proposed:{proposal.contract_name}:{proposal.id}",
    )
