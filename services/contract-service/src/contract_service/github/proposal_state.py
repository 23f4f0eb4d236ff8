"""What the PR check says of change proposals (docs/workflow.md): for each contract the pull
request changes in a way its change policy governs, the state of the proposal for that
version ("2 of 3 affected teams approved; `finance` pending"), or that one is needed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.proposals import repository as proposals_repo
from contract_service.proposals.gate import verdict_of
from contract_service.proposals.models import ProposalStatus
from contract_service.proposals.policy import affected_teams, gated_changes
from datapact_common.analysis.contract_files import ContractDelta
from datapact_common.analysis.verdict import Registry
from datapact_common.diff import diff_contracts


async def proposal_notes(
    session: AsyncSession, registry: Registry, contracts: ContractDelta, now: datetime
) -> list[tuple[uuid.UUID, str]]:
    """One Markdown line per contract whose new version needs its affected teams' say,
    with the contract's id."""
    notes: list[tuple[uuid.UUID, str]] = []
    for change in contracts.changes:
        current = registry.contracts.get(change.name)
        head = change.head
        if current is None or head is None or head.version == current.version:
            continue
        gated = gated_changes(current, diff_contracts(current, head).changes, now.date())
        teams = affected_teams(gated)
        if not teams:
            continue
        contract_id = uuid.UUID(registry.ids[change.name])
        open_ones = await proposals_repo.for_contract(session, contract_id, ProposalStatus.OPEN)
        proposal = next((p for p in open_ones if p.proposed_version == head.version), None)
        where = f"`{change.name}` {current.version} → {head.version}"
        if proposal is not None:
            answers = (await proposals_repo.answers(session, [proposal.id]))[proposal.id]
            verdict = verdict_of(proposal, answers, now)
            state = (
                "can be published"
                if verdict.publishable
                else f"cannot be published yet: {verdict.reason}"
            )
            notes.append(
                (contract_id, f"{where}: proposal `{proposal.id}`: {verdict.summary}; {state}")
            )
        elif current.change_policy is not None:
            notes.append(
                (
                    contract_id,
                    f"{where} breaks {', '.join(f'`{t}`' for t in teams)}: its change policy "
                    f"publishes it only through a proposal (`datapact propose {change.path}`)",
                )
            )
    return notes
