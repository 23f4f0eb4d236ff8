from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from notification_service.database import SessionDep
from notification_service.dependencies import Reader, WriterPrincipal
from notification_service.errors import error_responses
from notification_service.notifications.models import Channel
from notification_service.text import NoNul
from notification_service.watchers import service
from notification_service.watchers.schemas import (
    ContractNameIn,
    TeamIn,
    WatcherCreate,
    WatcherOut,
    WatcherPage,
)

router = APIRouter(
    prefix="/api/v1/watchers", tags=["watchers"], responses=error_responses(401, 422)
)


@router.get("", response_model=WatcherPage)
async def list_watchers(
    session: SessionDep,
    reader: Reader,
    target: Annotated[NoNul | None, Query(max_length=320)] = None,
    contract_name: Annotated[NoNul | None, Query(max_length=255)] = None,
    team: Annotated[NoNul | None, Query(max_length=255)] = None,
    skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> WatcherPage:
    return await service.list_watchers(
        session, target=target, contract_name=contract_name, team=team, skip=skip, limit=limit
    )


@router.post(
    "", status_code=201, response_model=WatcherOut, responses=error_responses(400, 403, 409, 413)
)
async def create_watcher(
    body: WatcherCreate, session: SessionDep, principal: WriterPrincipal
) -> WatcherOut:
    return WatcherOut.model_validate(await service.create(session, body, principal))


@router.delete(
    "",
    status_code=204,
    responses=error_responses(403, 404),
    summary="Stop watching: remove the subscription (channel, target, scope)",
)
async def unwatch(
    session: SessionDep,
    principal: WriterPrincipal,
    target: Annotated[NoNul, Query(min_length=1, max_length=320)],
    channel: Channel = Channel.EMAIL,
    contract_name: Annotated[ContractNameIn | None, Query()] = None,
    team: Annotated[TeamIn | None, Query()] = None,
) -> Response:
    await service.unwatch(
        session,
        channel=channel,
        target=target,
        contract_name=contract_name,
        team=team,
        principal=principal,
    )
    return Response(status_code=204)


@router.get("/{watcher_id}", response_model=WatcherOut, responses=error_responses(404))
async def get_watcher(watcher_id: uuid.UUID, session: SessionDep, reader: Reader) -> WatcherOut:
    return WatcherOut.model_validate(await service.get(session, watcher_id))


@router.delete("/{watcher_id}", status_code=204, responses=error_responses(403, 404))
async def delete_watcher(
    watcher_id: uuid.UUID, session: SessionDep, principal: WriterPrincipal
) -> Response:
    await service.delete(session, watcher_id, principal)
    return Response(status_code=204)
