"""A push to the default branch: every changed contract file is synced into the registry.

Each contract goes through ``ContractService.upsert`` — the same path (and semver policy) as
an API update, with ``changed_by`` = the pusher's login and the registered subscribers kept.
A contract the registry refuses (invalid document, version bump too small) is recorded on the
delivery and alerted, never silently accepted; the other contracts of the push still sync.

A breaking change its change policy governs goes through a proposal (docs/workflow.md): when
the policy does not hold yet, the sync opens the proposal of the merged document — or finds
the one the pull request's check opened, so the affected teams hear of it once — and the
refusal names it and who is pending. It is published by the proposal's publish, once the
policy holds (or by the next sync of the file).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts import repository as contracts_repo
from contract_service.contracts.service import ContractService
from contract_service.github.auto_propose import Governed, merge_proposer, propose_once
from contract_service.github.client import FileUnavailableError, GitHubClient
from contract_service.github.config import GitHubSettings
from contract_service.github.events import sync_rejected_event
from contract_service.github.schemas import ZERO_SHA, PushEvent
from contract_service.outbox.service import enqueue
from contract_service.proposals.gate import proposal_verdict
from contract_service.proposals.models import ProposalStatus
from datapact_common.analysis.contract_files import parse_contract_file
from datapact_common.analysis.patterns import is_contract_file
from datapact_common.contract_schema import ContractDefinition
from datapact_common.exceptions import DataPactError
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)
PUSH_COMMIT_LIMIT = 20  # GitHub lists at most 20 commits in a push payload


@dataclass
class Rejection:
    path: str
    contract: str | None
    version: str | None
    reason: str
    fields: list[str] = field(default_factory=list)
    # The proposal the change waits for, and the teams whose answer it waits for.
    proposal_id: str | None = None
    pending: list[str] = field(default_factory=list)


@dataclass
class PushOutcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def error(self) -> str | None:
        if not self.rejected:
            return None
        return "; ".join(f"{r.contract or r.path}: {r.reason}" for r in self.rejected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [
                {"contract": r.contract, "path": r.path, "reason": r.reason}
                | ({"proposal_id": r.proposal_id} if r.proposal_id else {})
                for r in self.rejected
            ],
        }


async def changed_contract_paths(
    gh: GitHubClient, event: PushEvent, settings: GitHubSettings
) -> list[str]:
    """Contract files added or modified by the push (from the compare API when the payload's
    commit list may be truncated or rewritten)."""
    owner, name = event.repository.owner.login, event.repository.name
    patterns = settings.github_contract_patterns
    use_compare = event.before != ZERO_SHA and (
        len(event.commits) >= PUSH_COMMIT_LIMIT or event.forced or not event.commits
    )
    paths: list[str] = []
    if use_compare:
        for entry in await gh.compare_files(owner, name, event.before, event.after):
            if entry.get("status") != "removed":
                paths.append(str(entry["filename"]))
    else:
        for commit in event.commits:
            paths += [*commit.added, *commit.modified]
    unique = list(dict.fromkeys(p for p in paths if is_contract_file(p, patterns)))
    return unique


async def read_contract_files(
    gh: GitHubClient, event: PushEvent, paths: list[str], settings: GitHubSettings
) -> tuple[dict[str, str], list[Rejection]]:
    owner, name = event.repository.owner.login, event.repository.name
    texts: dict[str, str] = {}
    problems: list[Rejection] = []
    for path in paths:
        try:
            text = await gh.file_text(
                owner, name, path, event.after, max_bytes=settings.github_max_file_bytes
            )
        except FileUnavailableError as exc:
            problems.append(Rejection(path, None, None, exc.message))
            continue
        if text is not None:  # removed again by a later commit of the push
            texts[path] = text
    return texts, problems


async def sync_contracts(
    session: AsyncSession, event: PushEvent, texts: dict[str, str], outcome: PushOutcome
) -> None:
    """Upsert every contract of ``texts``; each in its own savepoint so one refusal does not
    undo the others."""
    for path, text in texts.items():
        outcome.files.append(path)
        parsed = parse_contract_file(text, path)
        for invalid in parsed.invalid:
            outcome.rejected.append(
                Rejection(
                    path,
                    invalid.name,
                    None,
                    f"invalid contract (line {invalid.line}): {invalid.message}",
                )
            )
        for item in parsed.contracts:
            await _sync_one(session, event, path, item.contract, outcome)


async def _sync_one(
    session: AsyncSession,
    event: PushEvent,
    path: str,
    contract: ContractDefinition,
    outcome: PushOutcome,
) -> None:
    try:
        async with session.begin_nested():
            result = await ContractService.upsert(session, contract, event.actor)
    except DataPactError as exc:
        changes = exc.extra.get("changes") or []
        fields = sorted(
            {str(c["field"]) for c in changes if isinstance(c, dict) and c.get("field")}
        )
        rejection = Rejection(path, contract.name, contract.version, exc.detail, fields)
        governed = await _proposal_of(session, event, contract)
        if governed is None:
            outcome.rejected.append(rejection)
            return
        if not await _waits_for(session, governed, rejection):
            # The policy holds already (a notice of 0 days, no objection): publish now.
            await _sync_one(session, event, path, contract, outcome)
            return
        outcome.rejected.append(rejection)
        return
    if result.created:
        outcome.created.append(contract.name)
    elif result.report is not None:
        outcome.updated.append(contract.name)
    else:
        outcome.unchanged.append(contract.name)


async def _proposal_of(
    session: AsyncSession, event: PushEvent, contract: ContractDefinition
) -> Governed | None:
    """The proposal a refused contract's change policy publishes it through: opened for
    the pushed commit, or the open one holding this document (the pull request's)."""
    contract_id = await contracts_repo.id_by_name(session, contract.name)
    if contract_id is None:
        return None
    proposed_by = merge_proposer(event.repository.full_name, event.after)
    try:
        async with session.begin_nested():
            return await propose_once(session, contract_id, contract, proposed_by, utcnow())
    except DataPactError as exc:
        logger.info("no proposal for %s from %s: %s", contract.name, proposed_by, exc)
        return None


async def _waits_for(session: AsyncSession, governed: Governed, rejection: Rejection) -> bool:
    """Whether the version waits for the proposal's answers; the rejection then says which
    proposal and who is pending. False when the policy holds already (publish)."""
    proposal = governed.proposal
    rejection.proposal_id = str(proposal.id)
    origin = "opened by this push" if governed.opened else f"proposed by {proposal.proposed_by}"
    if proposal.status != ProposalStatus.OPEN.value:
        rejection.reason += f" (proposal {proposal.id} of this document is {proposal.status})"
        return True
    verdict = await proposal_verdict(session, proposal, utcnow())
    if verdict.publishable:
        if governed.opened:
            return False
        rejection.reason += f" (proposal {proposal.id}: {verdict.summary})"  # refused otherwise
        return True
    rejection.pending = verdict.pending
    rejection.reason = (
        f"the change policy holds {proposal.contract_name} {proposal.base_version} -> "
        f"{proposal.proposed_version} back: proposal {proposal.id} ({origin}): "
        f"{verdict.summary}; {verdict.reason}. Once it holds, publish it with "
        f"`datapact proposal publish {proposal.id}` (POST /api/v1/proposals/{proposal.id}/publish)"
    )
    return True


def alert_rejections(
    session: AsyncSession, event: PushEvent, outcome: PushOutcome, contract_ids: dict[str, str]
) -> None:
    for rejection in outcome.rejected:
        name = rejection.contract or f"{event.repository.full_name}:{rejection.path}"
        enqueue(
            session,
            sync_rejected_event(
                name[:255],
                rejection.version,
                rejection.reason,
                contract_id=contract_ids.get(name),
                fields=rejection.fields,
                repository=event.repository.full_name,
                sha=event.after,
                path=rejection.path,
                pusher=event.actor,
                proposal_id=rejection.proposal_id,
                pending=rejection.pending,
            ),
        )
