"""Proposal rules: propose, answer, withdraw, publish (docs/workflow.md).

Every function takes the caller's session and only flushes. Locks are taken in one order,
the contract row before the proposal row, so parallel answers and publishes of one proposal
queue up instead of losing an answer or publishing twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.background import spawn
from contract_service.contracts import repository as contracts_repo
from contract_service.contracts.models import Contract
from contract_service.contracts.service import (
    ContractService,
    WriteResult,
    compare,
    definition_of,
    dump_changes,
    ensure_can_write,
)
from contract_service.enqueue import RECHECK_TASK, contract_queue
from contract_service.outbox.service import enqueue
from contract_service.proposals import events
from contract_service.proposals import repository as repo
from contract_service.proposals.gate import Override, ensure_open, verdict_of
from contract_service.proposals.models import (
    Answer,
    ChangeProposal,
    ProposalAnswer,
    ProposalLinkUse,
    ProposalStatus,
)
from contract_service.proposals.policy import Verdict, affected_teams, gated_changes
from datapact_common.contract_schema import ContractDefinition
from datapact_common.db import after_commit
from datapact_common.documents import format_validation_errors
from datapact_common.exceptions import (
    ConflictError,
    ContractValidationError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from datapact_common.offload import off_loop
from datapact_common.proposal_links import ProposalLink
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Principal

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Any) -> M:
    """A request body as ``model`` (422 listing the problems)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = format_validation_errors(exc)
        summary = "; ".join(f"{e['loc']}: {e['message']}" for e in errors[:5])
        raise ContractValidationError(f"invalid request: {summary}", errors) from exc


def recheck_pull_requests(session: AsyncSession, contract_id: uuid.UUID) -> None:
    """After commit: the pull requests whose check showed this contract's proposal state
    are checked again (the GitHub integration's task, sent by name)."""

    def send() -> None:
        spawn(
            contract_queue.send_in_thread(
                RECHECK_TASK, str(contract_id), catch_up="the next push re-checks the PR"
            )
        )

    after_commit(session, send)


@dataclass
class ProposalState:
    """A proposal with its answers and the verdict of its policy now."""

    proposal: ChangeProposal
    answers: list[ProposalAnswer]
    verdict: Verdict


async def get(session: AsyncSession, proposal_id: uuid.UUID) -> ChangeProposal:
    proposal = await repo.get(session, proposal_id)
    if proposal is None:
        raise NotFoundError(f"proposal {proposal_id} not found")
    return proposal


async def _contract(session: AsyncSession, contract_id: uuid.UUID) -> Contract:
    contract = await contracts_repo.get(session, contract_id)
    if contract is None:
        raise NotFoundError(f"contract {contract_id} not found")
    return contract


async def states(
    session: AsyncSession, proposals: list[ChangeProposal], now: datetime | None = None
) -> list[ProposalState]:
    now = now or utcnow()
    answered = await repo.answers(session, [p.id for p in proposals])
    return [ProposalState(p, answered[p.id], verdict_of(p, answered[p.id], now)) for p in proposals]


async def state(session: AsyncSession, proposal: ChangeProposal) -> ProposalState:
    [result] = await states(session, [proposal])
    return result


async def propose(
    session: AsyncSession,
    contract_id: uuid.UUID,
    document: ContractDefinition | Mapping[str, Any],
    principal: Principal,
) -> ChangeProposal:
    """Store a proposed breaking version; it supersedes the contract's open proposal and
    tells its affected teams once (``breaking_change_proposed``)."""
    definition = await definition_of(document)
    contract = await contracts_repo.lock(session, contract_id)
    if contract is None:
        raise NotFoundError(f"contract {contract_id} not found")
    ensure_can_write(principal, contract.publisher_team)
    if definition.publisher.team != contract.publisher_team:
        ensure_can_write(principal, definition.publisher.team)
    if definition.name != contract.name:
        raise ContractValidationError(
            f"the proposed document is for '{definition.name}', not '{contract.name}'",
            [{"loc": "name", "message": f"must be '{contract.name}'", "type": "immutable"}],
        )
    now = utcnow()
    comparison = await off_loop(compare, contract.document, definition, contract.id, now)
    current, report, prepared = comparison.current, comparison.report, comparison.prepared
    if report is None:
        raise InvalidRequestError(
            f"the document is version {current.version} of '{contract.name}' as it stands: "
            "nothing to propose"
        )
    if prepared is None:
        raise ConflictError(
            report.violation or "the version bump is too small",
            changes=await off_loop(dump_changes, report),
            required_bump=report.required_bump,
            actual_bump=report.actual_bump,
            current_version=current.version,
            proposed_version=definition.version,
        )
    gated = gated_changes(current, report.changes, now.date())
    if not gated:
        raise InvalidRequestError(
            f"nothing breaking to propose for '{contract.name}' {current.version} -> "
            f"{definition.version}: publish it with PUT /api/v1/contracts/{contract.id}"
        )
    proposal = ChangeProposal(
        id=uuid.uuid4(),
        contract_id=contract.id,
        contract_name=contract.name,
        base_version=current.version,
        proposed_version=definition.version,
        status=ProposalStatus.OPEN.value,
        document=prepared.document,
        changes=[c for c in prepared.changes if c.get("versioned", True)],
        affected_teams=affected_teams(gated),
        policy=current.change_policy.model_dump(mode="json") if current.change_policy else None,
        proposed_by=principal.sub,
        created_at=now,
        updated_at=now,
    )
    earlier = await repo.lock_open(session, contract.id)
    if earlier is not None:
        earlier.status = ProposalStatus.SUPERSEDED.value
        earlier.superseded_by = proposal.id
        earlier.closed_at = earlier.updated_at = now
        earlier.closed_by = principal.sub
        await session.flush()  # before the new one is open: one open proposal per contract
    session.add(proposal)
    await session.flush()
    if proposal.affected_teams:
        gated_dicts = [c.model_dump(mode="json") for c in gated]
        supersedes = str(earlier.id) if earlier is not None else None
        enqueue(session, events.breaking_change_proposed(proposal, gated_dicts, supersedes))
    recheck_pull_requests(session, contract.id)
    return proposal


async def answer(
    session: AsyncSession,
    proposal_id: uuid.UUID,
    team: str,
    decision: Answer,
    comment: str | None,
    principal: Principal,
) -> ChangeProposal:
    """Record ``team``'s answer; a later answer of the same team replaces it (an objection
    withdrawn is an approval after it), the earlier one stays in the history."""
    if team not in principal.teams:
        held = ", ".join(sorted(principal.teams)) or "no team"
        raise PermissionDeniedError(
            f"only team '{team}' answers for itself (this token is for: {held})"
        )
    proposal = await repo.lock(session, proposal_id)
    if proposal is None:
        raise NotFoundError(f"proposal {proposal_id} not found")
    contract = await _contract(session, proposal.contract_id)
    ensure_open(proposal, contract.version)
    if team not in proposal.affected_teams:
        raise InvalidRequestError(
            f"team '{team}' is not affected by proposal {proposal.id} (affected: "
            f"{', '.join(proposal.affected_teams)})",
            [{"loc": "team", "message": "not an affected team", "type": "value_error"}],
        )
    _record(session, proposal, team, decision, comment, principal.sub)
    await session.flush()
    recheck_pull_requests(session, proposal.contract_id)
    return proposal


def _record(
    session: AsyncSession,
    proposal: ChangeProposal,
    team: str,
    decision: Answer,
    comment: str | None,
    answered_by: str,
) -> None:
    now = utcnow()
    session.add(
        ProposalAnswer(
            proposal_id=proposal.id,
            team=team,
            answer=decision.value,
            comment=comment,
            answered_by=answered_by[:255],
            answered_at=now,
        )
    )
    proposal.updated_at = now


async def _linked(session: AsyncSession, link: ProposalLink, *, lock: bool) -> ChangeProposal:
    """The open proposal a link answers, for a team it affects (409 otherwise)."""
    proposal = await (repo.lock if lock else repo.get)(session, link.proposal_id)
    if proposal is None:
        raise NotFoundError(f"proposal {link.proposal_id} not found")
    contract = await _contract(session, proposal.contract_id)
    ensure_open(proposal, contract.version)
    if link.team not in proposal.affected_teams:
        raise ConflictError(
            f"team '{link.team}' is no longer asked to answer proposal {proposal.id}",
            proposal_id=str(proposal.id),
        )
    return proposal


async def preview_link(session: AsyncSession, link: ProposalLink) -> ChangeProposal:
    """What a link would answer; changes nothing (mail scanners fetch links)."""
    proposal = await _linked(session, link, lock=False)
    if await session.get(ProposalLinkUse, link.jti) is not None:
        raise ConflictError("this answer link was used already: each link answers once")
    return proposal


async def answer_by_link(session: AsyncSession, link: ProposalLink) -> ChangeProposal:
    """Record the answer a signed e-mail link carries, once per link (its ``jti``)."""
    proposal = await _linked(session, link, lock=True)
    used = await session.execute(
        insert(ProposalLinkUse)
        .values(jti=link.jti, proposal_id=proposal.id, team=link.team, used_at=utcnow())
        .on_conflict_do_nothing(index_elements=["jti"])
        .returning(ProposalLinkUse.jti)
    )
    if used.first() is None:
        raise ConflictError("this answer link was used already: each link answers once")
    _record(session, proposal, link.team, Answer(link.answer), None, link.sub)
    await session.flush()
    recheck_pull_requests(session, proposal.contract_id)
    return proposal


async def withdraw(
    session: AsyncSession,
    proposal_id: uuid.UUID,
    principal: Principal,
    *,
    reason: str | None = None,
) -> ChangeProposal:
    """Close an open proposal (its history stays); ``reason`` when no person decided it."""
    proposal = await repo.lock(session, proposal_id)
    if proposal is None:
        raise NotFoundError(f"proposal {proposal_id} not found")
    contract = await _contract(session, proposal.contract_id)
    ensure_can_write(principal, contract.publisher_team)
    ensure_open(proposal)
    now = utcnow()
    proposal.status = ProposalStatus.WITHDRAWN.value
    proposal.closed_at = proposal.updated_at = now
    proposal.closed_by = principal.sub
    proposal.closed_reason = reason
    await session.flush()
    recheck_pull_requests(session, proposal.contract_id)
    return proposal


async def publish(
    session: AsyncSession,
    proposal_id: uuid.UUID,
    principal: Principal,
    *,
    override: bool = False,
    reason: str | None = None,
) -> WriteResult:
    """Publish the proposed document as the contract's new version, through the contract
    write path (so the policy is checked there, with the contract row locked)."""
    proposal = await get(session, proposal_id)
    if override and not principal.is_admin:
        raise PermissionDeniedError("only an admin overrides a change policy")
    if override and not reason:
        raise InvalidRequestError(
            "an override needs a reason: it is recorded and announced",
            [{"loc": "reason", "message": "required with override", "type": "missing"}],
        )
    result = await ContractService.update(
        session,
        proposal.contract_id,
        proposal.document,
        principal.sub,
        principal=principal,
        proposal_id=proposal.id,
        override=Override(principal.sub, reason or "") if override else None,
    )
    if not result.version_created:
        # The document is the current one already: published by a concurrent call (whose
        # contract lock this one waited for), which the proposal now says.
        locked = await repo.lock(session, proposal.id)
        assert locked is not None
        ensure_open(locked)
    return result


async def for_contract(
    session: AsyncSession, contract_id: uuid.UUID, status: ProposalStatus | None
) -> tuple[Contract, list[ProposalState]]:
    contract = await _contract(session, contract_id)
    proposals = list(await repo.for_contract(session, contract_id, status))
    return contract, await states(session, proposals)


async def listing(
    session: AsyncSession, status: ProposalStatus | None, team: str | None, limit: int
) -> list[ProposalState]:
    proposals = list(await repo.listing(session, status, team, limit))
    return await states(session, proposals)


async def notice_sweep(session: AsyncSession, now: datetime) -> list[uuid.UUID]:
    """Mark the open proposals whose notice period ended by ``now`` (once each) and queue
    a new check of their pull requests; returns their contracts' ids."""
    contracts: list[uuid.UUID] = []
    for proposal in await repo.lock_unseen_notices(session):
        verdict = verdict_of(proposal, [], now)
        if verdict.notice_ends_at is None or verdict.notice_ends_at > now:
            continue
        proposal.notice_seen_at = now
        contracts.append(proposal.contract_id)
    await session.flush()
    for contract_id in sorted(set(contracts)):
        recheck_pull_requests(session, contract_id)
    return contracts
