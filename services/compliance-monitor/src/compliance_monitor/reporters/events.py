"""Event envelopes for compliance state changes."""

from __future__ import annotations

from typing import Any

from compliance_monitor.checks.base import CheckResult
from compliance_monitor.config import SERVICE_NAME
from datapact_common.checks import UNREACHABLE_DATA_SERVICE, CheckType
from datapact_common.contract_schema import ContractDefinition
from datapact_common.events import EventEnvelope, EventSeverity, EventType

BREACH_EVENT: dict[CheckType, EventType] = {
    CheckType.SCHEMA: EventType.SCHEMA_DRIFT,
    CheckType.FRESHNESS: EventType.QUALITY_BREACH,
    CheckType.COMPLETENESS: EventType.QUALITY_BREACH,
    CheckType.UNIQUENESS: EventType.QUALITY_BREACH,
    CheckType.AVAILABILITY: EventType.AVAILABILITY_BREACH,
    CheckType.VALIDITY: EventType.QUALITY_BREACH,
    CheckType.VOLUME: EventType.QUALITY_BREACH,
}
_SEVERITY: dict[EventType, EventSeverity] = {
    EventType.SCHEMA_DRIFT: EventSeverity.CRITICAL,
    EventType.AVAILABILITY_BREACH: EventSeverity.CRITICAL,
    EventType.QUALITY_BREACH: EventSeverity.WARNING,
}
TITLE_LIMIT = 500


def _title(text: str) -> str:
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1] + "…"


def breach_event(
    contract: ContractDefinition,
    contract_id: str,
    result: CheckResult,
    only: list[str] | None = None,
) -> EventEnvelope:
    """The event opening an alert; with ``only``, the fields that started failing while it
    was already open (its own ``dedup_key``, so it is not taken for a repeat)."""
    event_type = BREACH_EVENT[result.check_type]
    fields = list(only) if only is not None else result.fields
    payload: dict[str, Any] = {"contract_id": contract_id, "fields": fields}
    details = result.details
    if event_type is EventType.SCHEMA_DRIFT:
        title = f"Schema drift in {contract.name}: {result.summary}"
        payload |= {
            "errors": details.get("errors", []),
            "warnings": details.get("warnings", []),
            "details": details,
        }
    elif event_type is EventType.QUALITY_BREACH:
        title = (
            f"{result.check_type.value.capitalize()} breach in {contract.name}: {result.summary}"
        )
        payload |= {
            "check_type": result.check_type.value,
            "expected": _text(details.get("expected")),
            "actual": _text(details.get("found")) or result.summary,
            "message": result.summary,
            "details": details,
        }
        if result.rule is not None:
            payload |= {
                "rule": result.rule,
                "field": details.get("field"),
                "violations": details.get("violations"),
                "samples": details.get("samples"),
            }
    else:
        probe = details.get("probe") or {}
        # Subscribers and the notification list must not learn what answered on the port
        # (the contract's team reads it in the check history); an uptime breach says why.
        answered = probe.get("ok") is True
        summary = result.summary if answered else UNREACHABLE_DATA_SERVICE
        title = f"{contract.name} is unavailable: {summary}"
        payload |= {
            "endpoint": details.get("endpoint"),
            "expected": _text(details.get("expected")),
            "actual": _text(details.get("found")) if answered else summary,
            "error": (probe.get("error") or summary) if answered else summary,
        }
    return EventEnvelope(
        type=event_type,
        source=SERVICE_NAME,
        contract_name=contract.name,
        contract_version=contract.version,
        severity=_SEVERITY[event_type],
        title=_title(title),
        payload=payload,
        dedup_key=f"{event_type}:{contract.name}:{result.state_key}"
        + (f":{','.join(sorted(fields))}" if only is not None else ""),
    )


def recovery_event(
    contract: ContractDefinition,
    contract_id: str,
    result: CheckResult,
    failing_since: str | None,
    fields: list[str],
) -> EventEnvelope:
    return EventEnvelope(
        type=EventType.COMPLIANCE_RECOVERED,
        source=SERVICE_NAME,
        contract_name=contract.name,
        contract_version=contract.version,
        severity=EventSeverity.INFO,
        title=_title(f"{contract.name} passes its {_what(result)} check again"),
        payload={
            "contract_id": contract_id,
            "fields": fields,
            "check_type": result.check_type.value,
            "failing_since": failing_since,
            "summary": result.summary,
            **({"rule": result.rule} if result.rule is not None else {}),
        },
        dedup_key=f"{EventType.COMPLIANCE_RECOVERED}:{contract.name}:{result.state_key}",
    )


def _what(result: CheckResult) -> str:
    return result.check_type.value if result.rule is None else f"{result.rule} {result.check_type}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)
