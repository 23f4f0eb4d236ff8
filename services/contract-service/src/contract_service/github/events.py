"""Events of the GitHub integration (docs/design.md §5), written through the outbox."""

from __future__ import annotations

from contract_service.config import SERVICE_NAME
from datapact_common.analysis.verdict import Finding, Verdict
from datapact_common.events import (
    BreakingChangeProposedPayload,
    ChangeSummary,
    EventEnvelope,
    EventSeverity,
    EventType,
    PrBlockedPayload,
    PullRequestInfo,
    SchemaDriftPayload,
)

MAX_TITLE = 500


def _title(text: str) -> str:
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def _fields(findings: list[Finding]) -> list[str]:
    return sorted({f for finding in findings for f in finding.fields})


def _teams(findings: list[Finding]) -> list[str]:
    return sorted({t for finding in findings for t in finding.subscribers})


def pr_events(
    verdict: Verdict,
    pull_request: PullRequestInfo,
    *,
    versions: dict[str, str],
    contract_ids: dict[str, str],
    check_run_url: str | None,
    fallback_name: str,
) -> list[EventEnvelope]:
    """``pr_blocked`` per contract a failing check concerns, and ``breaking_change_proposed``
    per contract with breaking changes (whether or not the bump is right)."""
    where = f"{pull_request.repository}#{pull_request.number}"
    events: list[EventEnvelope] = []
    if verdict.failures:
        for contract, findings in verdict.failures_by_contract().items():
            name = contract or fallback_name
            payload = PrBlockedPayload(
                contract_id=contract_ids.get(name),
                fields=_fields(findings),
                pull_request=pull_request,
                reasons=[f"{f.title}: {f.message}" for f in findings][:50],
                check_run_url=check_run_url,
            )
            events.append(
                EventEnvelope(
                    type=EventType.PR_BLOCKED,
                    source=SERVICE_NAME,
                    contract_name=name,
                    contract_version=versions.get(name),
                    severity=EventSeverity.WARNING,
                    title=_title(f"Pull request {where} blocked: {findings[0].title}"),
                    payload=payload.model_dump(mode="json"),
                    dedup_key=f"pr_blocked:{where}:{name}",
                )
            )
    for contract, findings in verdict.breaking_by_contract().items():
        teams = _teams(findings)
        proposal = BreakingChangeProposedPayload(
            contract_id=contract_ids.get(contract),
            fields=_fields(findings),
            pull_request=pull_request,
            changes=[
                ChangeSummary(
                    kind=f.category.value,
                    severity="breaking",
                    field=f.fields[0] if f.fields else None,
                    message=f.message,
                    affected_subscribers=f.subscribers,
                )
                for f in findings
            ][:50],
            affected_subscribers=teams,
        )
        events.append(
            EventEnvelope(
                type=EventType.BREAKING_CHANGE_PROPOSED,
                source=SERVICE_NAME,
                contract_name=contract,
                contract_version=versions.get(contract),
                severity=EventSeverity.WARNING,
                title=_title(
                    f"Pull request {where} proposes breaking changes to {contract}"
                    + (f" (affects {', '.join(teams)})" if teams else "")
                ),
                payload=proposal.model_dump(mode="json"),
                dedup_key=f"breaking_change_proposed:{where}:{contract}",
            )
        )
    return events


def sync_rejected_event(
    contract_name: str,
    version: str | None,
    reason: str,
    *,
    contract_id: str | None,
    fields: list[str],
    repository: str,
    sha: str,
    path: str,
    pusher: str,
    proposal_id: str | None = None,
    pending: list[str] | None = None,
) -> EventEnvelope:
    """A contract on the default branch that the registry refused (docs/design.md §4 rules).

    There is no event type for "sync refused"; it is reported as ``schema_drift`` with
    ``check_type: registry_sync``: the repository's contract and the registry disagree. A
    change waiting for a proposal names it (``details.proposal_id``) and who is pending.
    """
    details: dict[str, object] = {"repository": repository, "sha": sha, "path": path}
    details["pusher"] = pusher
    if proposal_id is not None:
        details.update(proposal_id=proposal_id, pending=pending or [])
    payload = SchemaDriftPayload(
        contract_id=contract_id,
        fields=fields,
        check_type="registry_sync",
        errors=[reason],
        details=details,
    )
    return EventEnvelope(
        type=EventType.SCHEMA_DRIFT,
        source=SERVICE_NAME,
        contract_name=contract_name,
        contract_version=version,
        severity=EventSeverity.CRITICAL,
        title=_title(
            f"Contract {contract_name} pushed to {repository} was not registered: {reason}"
        ),
        payload=payload.model_dump(mode="json"),
        dedup_key=f"registry_sync:{contract_name}:{sha}",
    )
