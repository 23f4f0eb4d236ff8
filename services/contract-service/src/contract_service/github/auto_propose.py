"""Proposals opened by the PR check (docs/workflow.md): a pull request that changes a
contract in a way its change policy governs proposes that document, once.

Idempotent per pull request and document: a proposal of the same document already open (by
anyone), or one this pull request opened before (whatever became of it: a withdrawn one is
not reopened by a re-check), means nothing is opened. Another document from the same pull
request (a new push) supersedes the open proposal, as every new proposal does.
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
from contract_service.proposals.models import ProposalStatus
from contract_service.proposals.policy import affected_teams, gated_changes
from datapact_common.analysis.contract_files import ContractDelta
from datapact_common.analysis.verdict import Registry
from datapact_common.diff import diff_contracts
from datapact_common.exceptions import DataPactError
from datapact_common.offload import off_loop
from datapact_common.tokens import Principal, Scope

logger = logging.getLogger(__name__)


def proposer(repository: str, number: int) -> str:
    """Who a proposal opened by the check of a pull request is proposed by."""
    return f"github:{repository}#{number}"


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
        contract = await contracts_repo.lock(session, contract_id)  # one check at a time
        if contract is None:
            continue
        comparison = await off_loop(compare, contract.document, head, contract.id, now)
        if comparison.prepared is None:
            continue  # as registered, or a bump too small: the verdict says so
        document = comparison.prepared.document
        earlier = await proposals_repo.for_contract(session, contract_id)
        if any(
            p.document == document
            and (p.status == ProposalStatus.OPEN.value or p.proposed_by == proposed_by)
            for p in earlier
        ):
            continue
        principal = Principal(
            sub=proposed_by,
            teams=frozenset({contract.publisher_team, head.publisher.team}),
            scopes=frozenset({Scope.CONTRACTS_WRITE}),
        )
        try:
            proposal = await proposals.propose(session, contract_id, head, principal)
        except DataPactError as exc:  # the verdict reports what is wrong with the change
            logger.info("no proposal for %s from %s: %s", change.name, proposed_by, exc)
            continue
        logger.info(
            "%s proposed %s %s -> %s (proposal %s)",
            proposed_by, change.name, proposal.base_version, proposal.proposed_version,
            proposal.id,
        )  # fmt: skip
        result.opened.append(proposal.id)
    return result
