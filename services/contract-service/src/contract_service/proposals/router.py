"""Proposal routes: thin, the rules live in proposals.service (docs/workflow.md)."""

from __future__ import annotations

import uuid
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from contract_service.config import get_settings
from contract_service.contracts.conditional import body_tag
from contract_service.contracts.views import contract_bytes
from contract_service.database import ReadSessionDep, SessionDep
from contract_service.dependencies import CurrentPrincipal, ReaderPrincipal, auth
from contract_service.documents import read_body, read_contract
from contract_service.openapi import document_body
from contract_service.proposals import service
from contract_service.proposals.models import Answer, ProposalStatus
from contract_service.proposals.schemas import (
    AnswerRequest,
    ProposalList,
    ProposalOut,
    PublishRequest,
)
from contract_service.proposals.service import ProposalState
from contract_service.responses import json_bytes, json_response
from datapact_common import proposal_links
from datapact_common.contract_schema import ContractDefinition
from datapact_common.web import ErrorBody

router = APIRouter(prefix="/api/v1", tags=["proposals"])

ContractId = Annotated[uuid.UUID, Path(description="contract id")]
ProposalId = Annotated[uuid.UUID, Path(description="proposal id")]
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 415, 422)
}


def view(state: ProposalState, *, document: bool = False) -> dict[str, Any]:
    """The body of one proposal: each affected team's latest answer, the history, the
    verdict of its policy now."""
    proposal, verdict = state.proposal, state.verdict
    latest = {row.team: row for row in state.answers}
    answers = []
    for team in proposal.affected_teams:
        row = latest.get(team)
        answers.append(
            {
                "team": team,
                "answer": row.answer if row else "pending",
                "comment": row.comment if row else None,
                "answered_by": row.answered_by if row else None,
                "answered_at": row.answered_at if row else None,
            }
        )
    body = ProposalOut(
        id=proposal.id,
        contract_id=proposal.contract_id,
        contract_name=proposal.contract_name,
        base_version=proposal.base_version,
        proposed_version=proposal.proposed_version,
        status=proposal.status,
        proposed_by=proposal.proposed_by,
        created_at=proposal.created_at,
        updated_at=proposal.updated_at,
        closed_at=proposal.closed_at,
        closed_by=proposal.closed_by,
        closed_reason=proposal.closed_reason,
        superseded_by=proposal.superseded_by,
        policy=proposal.policy,
        changes=proposal.changes,
        affected_teams=proposal.affected_teams,
        answers=answers,
        history=[
            {
                "team": row.team,
                "answer": row.answer,
                "comment": row.comment,
                "answered_by": row.answered_by,
                "answered_at": row.answered_at,
            }
            for row in state.answers
        ],
        verdict=verdict.as_dict(),
        override=(
            {"by": proposal.override_by, "reason": proposal.override_reason}
            if proposal.override_by
            else None
        ),
        document=proposal.document if document else None,
    )
    return body.model_dump(mode="json")


@router.post(
    "/contracts/{contract_id}/proposals",
    status_code=201,
    response_model=ProposalOut,
    openapi_extra=document_body(ContractDefinition, "the proposed contract document"),
    responses=_ERRORS,
)
async def propose(
    contract_id: ContractId, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """Propose a breaking version instead of publishing it: the affected teams (by their
    `fields_used`) are told once and answer; an earlier open proposal is superseded."""
    document = await read_contract(request)
    proposal = await service.propose(session, contract_id, document, principal)
    body = view(await service.state(session, proposal), document=True)
    return json_response(body, 201, headers={"Location": f"/api/v1/proposals/{proposal.id}"})


@router.get("/contracts/{contract_id}/proposals", response_model=ProposalList, responses=_ERRORS)
async def list_contract_proposals(
    contract_id: ContractId,
    session: ReadSessionDep,
    _: ReaderPrincipal,
    status: ProposalStatus | None = None,
) -> Response:
    contract, states = await service.for_contract(session, contract_id, status)
    return json_response(
        {
            "contract_id": str(contract.id),
            "name": contract.name,
            "proposals": [view(s) for s in states],
        }
    )


@router.get("/proposals", response_model=ProposalList, responses=_ERRORS)
async def list_proposals(
    session: ReadSessionDep,
    _: ReaderPrincipal,
    status: ProposalStatus | None = None,
    team: Annotated[
        str | None, Query(max_length=255, description="proposals this team is asked to answer")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    states = await service.listing(session, status, team, limit)
    return json_response({"proposals": [view(s) for s in states]})


LinkToken = Annotated[
    str, Query(min_length=1, max_length=4096, description="the signed link from the e-mail")
]
# A bearer token, if one is sent, is still checked (a refused one is a 401 as everywhere);
# the link itself is the credential.
_LINK_DEPENDENCIES = [Depends(auth.optional)]


@router.get(
    "/proposals/answer",
    # the page is HTML, its errors are the JSON error body like every route's: declared
    # here rather than with response_class, which would document the errors as text/html
    responses={
        200: {
            "description": "the confirmation page",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        **_ERRORS,
    },
    dependencies=_LINK_DEPENDENCIES,
)
async def confirm_link_answer(token: LinkToken, session: ReadSessionDep) -> HTMLResponse:
    """The page an e-mail's approve/object link opens: it says what the link answers and
    asks to confirm (a POST). It changes nothing: mail scanners fetch links."""
    link = proposal_links.verify(get_settings().datapact_secret_key, token)
    proposal = await service.preview_link(session, link)
    verb = "approve" if link.answer == "approved" else "object to"
    what = (
        f"Team {link.team}: {verb} the breaking change of {proposal.contract_name} "
        f"{proposal.base_version} -> {proposal.proposed_version} (proposal {proposal.id})?"
    )
    page = (
        '<!doctype html><html><head><meta charset="utf-8"><title>DataPact proposal'
        f"</title></head><body><p>{escape(what)}</p>"
        f'<form method="post" action="/api/v1/proposals/answer?token={escape(token)}">'
        f'<button type="submit">Confirm: {escape(verb)}</button></form>'
        "<p>This link works once.</p></body></html>"
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


@router.post(
    "/proposals/answer",
    response_model=ProposalOut,
    responses=_ERRORS,
    dependencies=_LINK_DEPENDENCIES,
)
async def link_answer(token: LinkToken, session: SessionDep) -> Response:
    """Record the answer of a signed e-mail link for its team (`answered_by` is
    `link:<recipient>`), once: a used link is a 409, an expired or forged one a 401, a
    proposal no longer open a 409."""
    link = proposal_links.verify(get_settings().datapact_secret_key, token)
    proposal = await service.answer_by_link(session, link)
    return json_response(view(await service.state(session, proposal)))


@router.get("/proposals/{proposal_id}", response_model=ProposalOut, responses=_ERRORS)
async def get_proposal(
    proposal_id: ProposalId, session: ReadSessionDep, _: ReaderPrincipal
) -> Response:
    proposal = await service.get(session, proposal_id)
    return json_response(view(await service.state(session, proposal), document=True))


async def _answer(
    proposal_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    decision: Answer,
) -> Response:
    body = service.parse(AnswerRequest, await read_body(request))
    proposal = await service.answer(
        session, proposal_id, body.team, decision, body.comment, principal
    )
    return json_response(view(await service.state(session, proposal)))


@router.post(
    "/proposals/{proposal_id}/approve",
    response_model=ProposalOut,
    openapi_extra=document_body(AnswerRequest, "the approving team and a comment"),
    responses=_ERRORS,
)
async def approve(
    proposal_id: ProposalId, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """An affected team approves (403 for a team the token does not hold; 409 when the
    proposal is no longer open)."""
    return await _answer(proposal_id, request, session, principal, Answer.APPROVED)


@router.post(
    "/proposals/{proposal_id}/object",
    response_model=ProposalOut,
    openapi_extra=document_body(AnswerRequest, "the objecting team and why"),
    responses=_ERRORS,
)
async def object_to(
    proposal_id: ProposalId, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """An affected team objects; approving later withdraws the objection."""
    return await _answer(proposal_id, request, session, principal, Answer.OBJECTED)


@router.post(
    "/proposals/{proposal_id}/withdraw",
    response_model=ProposalOut,
    responses=_ERRORS,
)
async def withdraw(
    proposal_id: ProposalId, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The publisher team (or an admin) withdraws an open proposal; its history is kept."""
    proposal = await service.withdraw(session, proposal_id, principal)
    return json_response(view(await service.state(session, proposal)))


@router.post(
    "/proposals/{proposal_id}/publish",
    openapi_extra=document_body(PublishRequest, "an admin's override, with the reason"),
    responses=_ERRORS,
)
async def publish(
    proposal_id: ProposalId, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """Publish the proposed version when the policy holds (409 naming who is pending
    otherwise); an admin may override, which is recorded and announced. Returns the
    contract."""
    raw = await read_body(request) if await request.body() else {}
    body = service.parse(PublishRequest, raw)
    result = await service.publish(
        session, proposal_id, principal, override=body.override, reason=body.reason
    )
    contract = contract_bytes(result.contract, principal)
    return json_bytes(contract, headers={"ETag": body_tag(result.contract.version, contract)})
