"""Subscriber routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from contract_service.database import ReadSessionDep, SessionDep
from contract_service.dependencies import CurrentPrincipal, ReaderPrincipal
from contract_service.documents import read_body
from contract_service.openapi import document_body
from contract_service.responses import json_response
from contract_service.subscribers import service
from contract_service.subscribers.schemas import SubscriberList, SubscriberOut, SubscriberUpdate
from datapact_common.contract_schema import Subscriber
from datapact_common.web import ErrorBody

router = APIRouter(prefix="/api/v1/contracts", tags=["subscribers"])

ContractId = Annotated[uuid.UUID, Path(description="contract id")]
# `:path`: a team name may contain '/' (sent as %2F, which the server decodes before routing);
# without it such a team could subscribe but never update or leave.
Team = Annotated[str, Path(min_length=1, max_length=255)]
_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 404, 413, 415, 422)
}


@router.get("/{contract_id}/subscribers", response_model=SubscriberList, responses=_ERRORS)
async def list_subscribers(
    contract_id: ContractId, session: ReadSessionDep, _: ReaderPrincipal
) -> Response:
    contract, rows = await service.list_subscribers(session, contract_id)
    body = SubscriberList(
        contract_id=contract.id, name=contract.name, subscribers=[SubscriberOut.of(r) for r in rows]
    )
    return json_response(body.model_dump(mode="json"))


@router.post(
    "/{contract_id}/subscribers",
    status_code=201,
    response_model=SubscriberOut,
    openapi_extra=document_body(Subscriber, "the subscribing team and the fields it uses"),
    responses={**_ERRORS, 409: {"model": ErrorBody}},
)
async def register_subscriber(
    contract_id: ContractId, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    subscriber = service.parse_subscriber(await read_body(request))
    row = await service.register(session, contract_id, subscriber, principal)
    return json_response(SubscriberOut.of(row).model_dump(mode="json"), 201)


@router.put(
    "/{contract_id}/subscribers/{team:path}",
    response_model=SubscriberOut,
    openapi_extra=document_body(SubscriberUpdate, "the subscription's new details"),
    responses=_ERRORS,
)
async def update_subscriber(
    contract_id: ContractId,
    team: Team,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> Response:
    change = service.parse_update(await read_body(request))
    row = await service.update(session, contract_id, team, change, principal)
    return json_response(SubscriberOut.of(row).model_dump(mode="json"))


@router.delete("/{contract_id}/subscribers/{team:path}", status_code=204, responses=_ERRORS)
async def leave(
    contract_id: ContractId, team: Team, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    await service.leave(session, contract_id, team, principal)
    return Response(status_code=204)
