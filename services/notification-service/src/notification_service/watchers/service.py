"""Watcher rules: one subscription per (channel, target, scope); only its creator or an
admin/service token removes it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from datapact_common.tokens import Principal
from notification_service.config import get_settings
from notification_service.errors import InvalidRequestError
from notification_service.notifications.models import Channel
from notification_service.watchers import repository
from notification_service.watchers.models import Watcher
from notification_service.watchers.schemas import (
    WatcherCreate,
    WatcherOut,
    WatcherPage,
    normalize_target,
)


def target_filter(channel: Channel, target: str) -> str:
    try:
        return normalize_target(channel, target)
    except ValueError as exc:
        raise InvalidRequestError(f"target: {exc}") from exc


async def list_watchers(
    session: AsyncSession,
    *,
    target: str | None,
    contract_name: str | None,
    team: str | None,
    skip: int,
    limit: int,
) -> WatcherPage:
    if target is not None and "@" in target:
        target = target.strip().lower()
    rows, total = await repository.list_watchers(
        session, target=target, contract_name=contract_name, team=team, skip=skip, limit=limit
    )
    return WatcherPage(
        watchers=[WatcherOut.model_validate(r) for r in rows], total=total, skip=skip, limit=limit
    )


async def get(session: AsyncSession, watcher_id: uuid.UUID) -> Watcher:
    watcher = await repository.get(session, watcher_id)
    if watcher is None:
        raise NotFoundError(f"watcher {watcher_id} not found")
    return watcher


async def create(session: AsyncSession, request: WatcherCreate, principal: Principal) -> Watcher:
    if request.channel is Channel.SLACK and not get_settings().slack_webhook_url:
        raise InvalidRequestError(
            "Slack is not configured on this server (SLACK_WEBHOOK_URL); watch by e-mail"
        )
    existing = await repository.find_same(
        session, request.channel, request.target, request.contract_name, request.team
    )
    if existing is not None:
        raise ConflictError(
            f"{request.target} already watches this scope (watcher {existing.id})",
            id=str(existing.id),
        )
    watcher = Watcher(
        id=uuid.uuid4(),
        channel=request.channel.value,
        target=request.target,
        contract_name=request.contract_name,
        team=request.team,
        event_types=[t.value for t in request.event_types],
        created_by=principal.sub[:255],
    )
    return await repository.add(session, watcher)


def _check_may_remove(watcher: Watcher, principal: Principal) -> None:
    if principal.is_admin or principal.is_service or principal.sub == watcher.created_by:
        return
    raise PermissionDeniedError(
        f"watcher {watcher.id} was created by {watcher.created_by}; only they or an admin "
        "may remove it"
    )


async def delete(session: AsyncSession, watcher_id: uuid.UUID, principal: Principal) -> None:
    watcher = await get(session, watcher_id)
    _check_may_remove(watcher, principal)
    await repository.delete(session, watcher)


async def unwatch(
    session: AsyncSession,
    *,
    channel: Channel,
    target: str,
    contract_name: str | None,
    team: str | None,
    principal: Principal,
) -> None:
    """Remove the subscription (channel, target, scope) without knowing its id."""
    if contract_name is not None and team is not None:
        raise InvalidRequestError("give a contract_name or a team, not both")
    target = target_filter(channel, target)
    watcher = await repository.find_same(session, channel, target, contract_name, team)
    if watcher is None:
        raise NotFoundError(f"{target} does not watch this scope")
    _check_may_remove(watcher, principal)
    await repository.delete(session, watcher)
