"""The change policy at publication: a breaking version of a contract with a policy is
published only through a proposal whose policy holds (docs/workflow.md).

Called by the contract write path (``ContractService.update``) with the contract row locked;
the proposal is locked after it, in that order everywhere, so an answer and a publish of one
proposal never interleave and a proposal is published once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.proposals import repository as repo
from contract_service.proposals.models import ChangeProposal, ProposalAnswer, ProposalStatus
from contract_service.proposals.policy import (
    Verdict,
    affected_teams,
    change_key,
    gated_changes,
    verdict,
)
from datapact_common.contract_schema import ChangePolicy, ContractDefinition
from datapact_common.diff import ChangeReport
from datapact_common.exceptions import ConflictError


@dataclass(frozen=True)
class Override:
    """An admin publishing over the policy, and why."""

    by: str
    reason: str


@dataclass
class Publication:
    """What a publish goes through: the proposal it publishes (if any), the verdict at that
    moment and an admin's override."""

    proposal: ChangeProposal | None = None
    verdict: Verdict | None = None
    override: Override | None = None

    @property
    def overridden(self) -> bool:
        return (
            self.override is not None and self.verdict is not None and not self.verdict.publishable
        )


def latest_answers(rows: list[ProposalAnswer]) -> dict[str, str]:
    latest: dict[str, str] = {}
    for row in rows:  # oldest first: the last one counts
        latest[row.team] = row.answer
    return latest


def verdict_of(proposal: ChangeProposal, rows: list[ProposalAnswer], now: datetime) -> Verdict:
    """The verdict of ``proposal``'s policy at ``now``, given its answers (oldest first)."""
    policy = ChangePolicy.model_validate(proposal.policy) if proposal.policy else None
    return verdict(policy, proposal.affected_teams, latest_answers(rows), proposal.created_at, now)


async def proposal_verdict(
    session: AsyncSession, proposal: ChangeProposal, now: datetime
) -> Verdict:
    rows = (await repo.answers(session, [proposal.id]))[proposal.id]
    return verdict_of(proposal, rows, now)


def ensure_open(proposal: ChangeProposal, current_version: str | None = None) -> None:
    """409 for a proposal that can no longer be answered or published."""
    if proposal.status != ProposalStatus.OPEN.value:
        superseded = f" by proposal {proposal.superseded_by}" if proposal.superseded_by else ""
        raise ConflictError(
            f"proposal {proposal.id} is {proposal.status}{superseded}",
            proposal_id=str(proposal.id),
            status=proposal.status,
        )
    if current_version is not None and proposal.base_version != current_version:
        raise ConflictError(
            f"proposal {proposal.id} is stale: it changes version {proposal.base_version}, "
            f"and '{proposal.contract_name}' is at {current_version}; propose again",
            proposal_id=str(proposal.id),
            status=ProposalStatus.STALE.value,
        )


async def check_publish(
    session: AsyncSession,
    contract_id: uuid.UUID,
    current: ContractDefinition,
    report: ChangeReport,
    now: datetime,
    *,
    proposal_id: uuid.UUID | None = None,
    override: Override | None = None,
) -> Publication:
    """The publication of ``report.new_version``, or 409 naming what is missing and who is
    pending. The contract row must be locked by the caller."""
    open_proposal: ChangeProposal | None
    if proposal_id is not None:
        open_proposal = await repo.lock(session, proposal_id)
        if open_proposal is None or open_proposal.contract_id != contract_id:
            raise ConflictError(f"proposal {proposal_id} is not one of '{current.name}'")
        ensure_open(open_proposal, current.version)
        if open_proposal.proposed_version != report.new_version:
            raise ConflictError(
                f"proposal {proposal_id} proposes version {open_proposal.proposed_version}, "
                f"not {report.new_version}"
            )
    else:
        open_proposal = await repo.lock_open(session, contract_id)
    proposal = open_proposal if _publishes(open_proposal, report) else None
    if proposal is not None:
        ensure_open(proposal, current.version)
    gated = gated_changes(current, report.changes, now.date())
    teams = affected_teams(gated)
    if current.change_policy is None or not teams:
        return Publication(proposal=proposal)
    if proposal is None:
        waiting = (
            f" (the open proposal {open_proposal.id} is for {open_proposal.proposed_version})"
            if open_proposal is not None
            else ""
        )
        raise ConflictError(
            f"'{current.name}' has a change policy: its breaking changes for "
            f"{', '.join(teams)} are published through a proposal "
            f"(POST /api/v1/contracts/{contract_id}/proposals){waiting}",
            affected_teams=teams,
            changes=[c.model_dump(mode="json") for c in gated],
        )
    proposed = {change_key(c) for c in proposal.changes}
    unproposed = [c for c in gated if change_key(c) not in proposed]
    if unproposed:
        raise ConflictError(
            f"breaking changes that proposal {proposal.id} does not hold: "
            + "; ".join(c.message for c in unproposed[:5]),
            proposal_id=str(proposal.id),
            changes=[c.model_dump(mode="json") for c in unproposed],
        )
    decision = await proposal_verdict(session, proposal, now)
    if not decision.publishable and override is None:
        raise ConflictError(
            f"the change policy of '{current.name}' does not hold yet: {decision.reason} "
            f"({decision.summary})",
            proposal_id=str(proposal.id),
            **decision.as_dict(),
        )
    return Publication(proposal=proposal, verdict=decision, override=override)


def _publishes(proposal: ChangeProposal | None, report: ChangeReport) -> bool:
    return proposal is not None and proposal.proposed_version == report.new_version


async def record_publish(
    session: AsyncSession,
    contract_id: uuid.UUID,
    new_version: str,
    publication: Publication,
    changed_by: str,
    now: datetime,
) -> None:
    """After the new version is written: its proposal is published (with the override, if
    any), every other open proposal of the contract is stale."""
    proposal = publication.proposal
    if proposal is not None:
        proposal.status = ProposalStatus.PUBLISHED.value
        proposal.closed_at = proposal.updated_at = now
        proposal.closed_by = changed_by
        if publication.overridden and publication.override is not None:
            proposal.override_by = publication.override.by
            proposal.override_reason = publication.override.reason
        await session.flush()
    await repo.mark_stale(session, contract_id, new_version, now)
