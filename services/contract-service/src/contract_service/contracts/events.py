"""Events about contract changes (docs/design.md §5), built for the outbox."""

from __future__ import annotations

from typing import Any

from contract_service.config import SERVICE_NAME
from contract_service.contracts.models import Contract
from datapact_common.diff import ChangeReport, Severity
from datapact_common.events import (
    ChangeSummary,
    ContractUpdatedPayload,
    DeprecationWarningPayload,
    EventEnvelope,
    EventSeverity,
    EventType,
)

_SEVERITY = {
    Severity.BREAKING: EventSeverity.CRITICAL,
    Severity.WARNING: EventSeverity.WARNING,
    Severity.INFO: EventSeverity.INFO,
}


def contract_updated(
    contract: Contract,
    report: ChangeReport,
    changed_by: str,
    override: dict[str, Any] | None = None,
) -> EventEnvelope:
    """``override``: an admin published over the change policy (who, why, who was pending);
    the title says so and the payload carries it."""
    changes = [c for c in report.changes if c.versioned]
    highest = report.highest_severity
    breaking = len(report.breaking)
    title = f"Contract {contract.name} updated {report.old_version} -> {report.new_version}"
    if breaking:
        title += f" ({breaking} breaking change{'s' if breaking != 1 else ''})"
    if override is not None:
        title += f", published over the change policy by {override['by']}"
    payload = ContractUpdatedPayload(
        contract_id=str(contract.id),
        fields=report.affected_fields,
        old_version=report.old_version,
        new_version=report.new_version,
        changed_by=changed_by,
        changes=[
            ChangeSummary(
                kind=str(c.kind),
                severity=str(c.severity),
                field=c.field,
                message=c.message,
                affected_subscribers=c.affected_subscribers,
            )
            for c in changes
        ],
        required_bump=report.required_bump,
    )
    data = payload.model_dump(mode="json")
    if override is not None:
        data["override"] = override
    return EventEnvelope(
        type=EventType.CONTRACT_UPDATED,
        source=SERVICE_NAME,
        contract_name=contract.name,
        contract_version=report.new_version,
        severity=_SEVERITY[highest] if highest is not None else EventSeverity.INFO,
        title=title[:500],
        payload=data,
        dedup_key=f"contract_updated:{contract.name}:{report.new_version}",
    )


def deprecation_warning(
    contract: Contract, changed_by: str, reason: str | None, subscribers: list[str]
) -> EventEnvelope:
    payload = DeprecationWarningPayload(
        contract_id=str(contract.id), changed_by=changed_by, reason=reason
    )
    data = payload.model_dump(mode="json")
    data["subscribers"] = subscribers
    return EventEnvelope(
        type=EventType.DEPRECATION_WARNING,
        source=SERVICE_NAME,
        contract_name=contract.name,
        contract_version=contract.version,
        severity=EventSeverity.WARNING,
        title=f"Contract {contract.name} is deprecated",
        payload=data,
        dedup_key=f"deprecation_warning:{contract.name}",
    )
