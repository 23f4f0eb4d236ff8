"""Proposals opened on GitHub's behalf (docs/workflow.md): a pull request that changes a
contract in a way its change policy governs proposes that document, once; closed unmerged,
it withdraws what it proposed; the merge sync of such a change opens (or finds) its proposal.

Idempotent per proposer and document: a proposal of the same document already open (by
anyone), or one this proposer opened before (whatever became of it: a withdrawn one is not
reopened by a re-check), means nothing is opened — except a proposal its pull request's
closing withdrew: reopened, the pull request proposes again. Another document from the same
pull request (a new push) supersedes the open proposal, as every new proposal does.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts import repository as contracts_repo
from contract_service.contracts.service import compare
from contract_service.proposals import repository as proposals_repo
from contract_service.proposals import service as proposals
from contract_service.proposals.models import ChangeProposal, ProposalStatus
from contract_service.proposals.policy import affected_teams, gated_changes
from datapact_common.analysis.contract_files import ContractDelta
from datapact_common.analysis.verdict import Registry
from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import diff_contracts
from datapact_common.exceptions import DataPactError
from datapact_common.offload import off_loop
from datapact_common.tokens import Principal, Scope

logger = logging.getLogger(__name__)

MAX_PROPOSER = 255  # change_proposals.proposed_by


def proposer(repository: str, number: int) -> str:
    """Who a proposal opened by the check of a pull request is proposed by."""
    return f"github:{repository}#{number}"[:MAX_PROPOSER]


def merge_proposer(repository: str, sha: str) -> str:
    """Who a proposal opened by the merge sync is proposed by: the pushed commit."""
    return f"github:{repository}@{sha}"[:MAX_PROPOSER]


def closed_reason(number: int) -> str:
    return f"pull request #{number} closed unmerged"


@dataclass
class Governed:
    """The proposal a governed change goes through, and whether it was opened just now
    (then it was announced; otherwise the teams heard of it already)."""

    proposal: ChangeProposal
    opened: bool


def _withdrawn_by_its_close(proposal: ChangeProposal) -> bool:
    return (
        proposal.status == ProposalStatus.WITHDRAWN.value
        and proposal.closed_by == proposal.proposed_by
    )


async def propose_once(
    session: AsyncSession,
    contract_id: uuid.UUID,
    head: ContractDefinition,
    proposed_by: str,
    now: datetime,
) -> Governed | None:
    """The proposal ``head`` needs, opened unless it exists; ``None`` when the change needs
    none (no change policy, nothing governed, no team affected) or the ``PUT`` would refuse
    it (a bump too small, an invalid document: the caller reports that)."""
    contract = await contracts_repo.lock(session, contract_id)  # one proposer at a time
    if contract is None:
        return None
    comparison = await off_loop(compare, contract.document, head, contract.id, now)
    current, report, prepared = comparison.current, comparison.report, comparison.prepared
    if report is None or prepared is None or current.change_policy is None:
        return None  # as registered, or a bump too small: the verdict says so
    if not affected_teams(gated_changes(current, report.changes, now.date())):
        return None
    document = prepared.document
    for earlier in await proposals_repo.for_contract(session, contract_id):
        if earlier.document != document:
            continue
        if earlier.status == ProposalStatus.OPEN.value:
            return Governed(earlier, opened=False)
        if earlier.proposed_by == proposed_by and not _withdrawn_by_its_close(earlier):
            return Governed(earlier, opened=False)
    principal = Principal(
        sub=proposed_by,
        teams=frozenset({contract.publisher_team, head.publisher.team}),
        scopes=frozenset({Scope.CONTRACTS_WRITE}),
    )
    try:
        proposal = await proposals.propose(session, contract_id, head, principal)
    except DataPactError as exc:  # the verdict reports what is wrong with the change
        logger.info("no proposal for %s from %s: %s", contract.name, proposed_by, exc)
        return None
    logger.info(
        "%s proposed %s %s -> %s (proposal %s)",
        proposed_by, contract.name, proposal.base_version, proposal.proposed_version,
        proposal.id,
    )  # fmt: skip
    return Governed(proposal, opened=True)


@dataclass
class Proposed:
    """The contracts of the pull request whose breaking changes go through a proposal (its
    ``breaking_change_proposed`` is the teams' one notice), and the proposals opened now."""

    governed: set[str] = field(default_factory=set)
    opened: list[uuid.UUID] = field(default_factory=list)


async def open_proposals(
    session: AsyncSession,
    registry: Registry,
    contracts: ContractDelta,
    proposed_by: str,
    now: datetime,
) -> Proposed:
    """Propose each new contract version of the pull request that its change policy
    publishes only through a proposal."""
    result = Proposed()
    for change in contracts.changes:
        current = registry.contracts.get(change.name)
        head = change.head
        if current is None or head is None or current.change_policy is None:
            continue
        if head.version == current.version:
            continue
        gated = gated_changes(current, diff_contracts(current, head).changes, now.date())
        if not affected_teams(gated):
            continue
        result.governed.add(change.name)
        contract_id = uuid.UUID(registry.ids[change.name])
        governed = await propose_once(session, contract_id, head, proposed_by, now)
        if governed is not None and governed.opened:
            result.opened.append(governed.proposal.id)
    return result


async def withdraw_closed(
    session: AsyncSession, repository: str, number: int
) -> list[ChangeProposal]:
    """Pull request ``number`` was closed unmerged: withdraw the proposals it opened that
    are still open (their history stays; ``closed_by`` is the pull request)."""
    by = proposer(repository, number)
    withdrawn: list[ChangeProposal] = []
    for proposal in await proposals_repo.open_proposed_by(session, by):
        contract = await contracts_repo.lock(session, proposal.contract_id)  # contract first
        if contract is None:
            continue
        principal = Principal(
            sub=by,
            teams=frozenset({contract.publisher_team}),
            scopes=frozenset({Scope.CONTRACTS_WRITE}),
        )
        try:
            withdrawn.append(
                await proposals.withdraw(
                    session, proposal.id, principal, reason=closed_reason(number)
                )
            )
        except DataPactError as exc:  # closed meanwhile (published, superseded): nothing to do
            logger.info("proposal %s not withdrawn for %s: %s", proposal.id, by, exc)
    return withdrawn
