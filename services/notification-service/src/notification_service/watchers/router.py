from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from datapact_common.web import error_responses
from notification_service.access import CallerDep
from notification_service.database import SessionDep
from notification_service.dependencies import PublisherPrincipal
from notification_service.notifications.models import Channel
from notification_service.text import NoNul
from notification_service.watchers import service
from notification_service.watchers.models import WatcherStatus
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


@router.get(
    "",
    response_model=WatcherPage,
    responses=error_responses(403),
    description="E-mail targets are masked (`…@domain`) unless the caller may see them: admin "
    "tokens, the address's owner (token email claim or e-mail link). Filtering by "
    "an e-mail `target` needs the same.",
)
async def list_watchers(
    session: SessionDep,
    caller: CallerDep,
    target: Annotated[NoNul | None, Query(max_length=320)] = None,
    contract_name: Annotated[NoNul | None, Query(max_length=255)] = None,
    team: Annotated[NoNul | None, Query(max_length=255)] = None,
    status: WatcherStatus | None = None,
    skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> WatcherPage:
    return await service.list_watchers(
        session,
        caller,
        target=target,
        contract_name=contract_name,
        team=team,
        status=status,
        skip=skip,
        limit=limit,
    )


@router.post(
    "",
    status_code=201,
    response_model=WatcherOut,
    responses=error_responses(400, 403, 409, 413),
    description="Active at once for the token's own address (its `email` claim) and Slack "
    "channels; for any other address `pending`, and that address gets one e-mail asking it "
    "to confirm (at most one per NOTIFICATION_CONFIRMATION_INTERVAL_HOURS).",
)
async def create_watcher(
    body: WatcherCreate, session: SessionDep, principal: PublisherPrincipal
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
    caller: CallerDep,
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
        caller=caller,
    )
    return Response(status_code=204)


@router.get("/{watcher_id}", response_model=WatcherOut, responses=error_responses(404))
async def get_watcher(watcher_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> WatcherOut:
    return service.shown(await service.get(session, watcher_id), caller)


@router.post(
    "/{watcher_id}/confirm",
    response_model=WatcherOut,
    responses=error_responses(403, 404),
    summary="The watched address agrees: a pending watcher becomes active",
    description="Only the address itself: a token whose `email` claim it is, or the link of "
    "the confirmation e-mail (`X-DataPact-Link`). Confirming an active watcher changes nothing.",
)
async def confirm_watcher(
    watcher_id: uuid.UUID, session: SessionDep, caller: CallerDep
) -> WatcherOut:
    return service.shown(await service.confirm(session, watcher_id, caller), caller)


@router.delete("/{watcher_id}", status_code=204, responses=error_responses(403, 404))
async def delete_watcher(watcher_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> Response:
    await service.delete(session, watcher_id, caller)
    return Response(status_code=204)
