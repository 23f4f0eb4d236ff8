"""Watcher rules: one subscription per (channel, target, scope).

An e-mail watcher is active at once when the caller's token owns the address (its email
claim); added for anyone else's address (an admin's too) it is pending, and the address is
asked to confirm (``confirmation.py``). Only its creator, an admin, or whoever speaks for
the address removes it (a service token does not); only whoever speaks for the address
confirms it.
Addresses are shown to whoever may see them (``access.py``).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.exceptions import (
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Principal
from notification_service.access import Caller
from notification_service.config import get_settings
from notification_service.links import Purpose
from notification_service.notifications.models import Channel
from notification_service.watchers import confirmation, repository
from notification_service.watchers.models import Watcher, WatcherStatus
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


def shown(watcher: Watcher, caller: Caller) -> WatcherOut:
    out = WatcherOut.model_validate(watcher)
    return out.model_copy(update={"target": caller.shown(watcher.target)})


async def list_watchers(
    session: AsyncSession,
    caller: Caller,
    *,
    target: str | None,
    contract_name: str | None,
    team: str | None,
    status: WatcherStatus | None,
    skip: int,
    limit: int,
) -> WatcherPage:
    if target is not None and "@" in target:
        target = target.strip().lower()
        caller.require_may_see(target)
    rows, total = await repository.list_watchers(
        session,
        target=target,
        contract_name=contract_name,
        team=team,
        status=status,
        skip=skip,
        limit=limit,
    )
    return WatcherPage(
        watchers=[shown(r, caller) for r in rows], total=total, skip=skip, limit=limit
    )


async def get(session: AsyncSession, watcher_id: uuid.UUID) -> Watcher:
    watcher = await repository.get(session, watcher_id)
    if watcher is None:
        raise NotFoundError(f"watcher {watcher_id} not found")
    return watcher


def _active_at_once(request: WatcherCreate, principal: Principal) -> bool:
    """Slack targets are channels of the one configured workspace, not somebody's mailbox."""
    return request.channel is Channel.SLACK or principal.email == request.target


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
            f"{request.target} already watches this scope (watcher {existing.id}, "
            f"{existing.status})",
            id=str(existing.id),
        )
    active = _active_at_once(request, principal)
    watcher = Watcher(
        id=uuid.uuid4(),
        channel=request.channel.value,
        target=request.target,
        contract_name=request.contract_name,
        team=request.team,
        event_types=[t.value for t in request.event_types],
        status=(WatcherStatus.ACTIVE if active else WatcherStatus.PENDING).value,
        created_by=principal.sub[:255],
        confirmed_at=utcnow() if active else None,
    )
    added = await repository.add(session, watcher)
    if not active:
        await confirmation.request(session, added.target)
    return added


async def confirm(session: AsyncSession, watcher_id: uuid.UUID, caller: Caller) -> Watcher:
    require_credential(caller)
    watcher = await get(session, watcher_id)
    if not caller.speaks_for(watcher.target, Purpose.WATCHERS):
        raise PermissionDeniedError(
            f"only {caller.shown(watcher.target)} confirms this watcher: with a token whose "
            "email claim is that address, or the link of the confirmation e-mail"
        )
    if watcher.status != WatcherStatus.ACTIVE:
        watcher.status = WatcherStatus.ACTIVE.value
        watcher.confirmed_at = utcnow()
        await session.flush()
    return watcher


def require_credential(caller: Caller) -> None:
    if caller.principal is None and caller.link is None:
        raise AuthenticationError(
            "send 'Authorization: Bearer <token>' or the link of a DataPact e-mail "
            "(X-DataPact-Link header)"
        )


def _check_may_remove(watcher: Watcher, caller: Caller) -> None:
    principal = caller.principal
    if principal is not None and (principal.is_admin or principal.sub == watcher.created_by):
        return
    if caller.speaks_for(watcher.target, Purpose.WATCHERS):
        return
    message = (
        f"watcher {watcher.id} was created by {watcher.created_by}; only they, an admin or "
        f"{caller.shown(watcher.target)} may remove it"
    )
    raise PermissionDeniedError(message)


async def delete(session: AsyncSession, watcher_id: uuid.UUID, caller: Caller) -> None:
    require_credential(caller)
    watcher = await get(session, watcher_id)
    _check_may_remove(watcher, caller)
    await repository.delete(session, watcher)


async def unwatch(
    session: AsyncSession,
    *,
    channel: Channel,
    target: str,
    contract_name: str | None,
    team: str | None,
    caller: Caller,
) -> None:
    """Remove the subscription (channel, target, scope) without knowing its id."""
    require_credential(caller)
    if contract_name is not None and team is not None:
        raise InvalidRequestError("give a contract_name or a team, not both")
    target = target_filter(channel, target)
    watcher = await repository.find_same(session, channel, target, contract_name, team)
    if watcher is None:
        raise NotFoundError(f"{target} does not watch this scope")
    _check_may_remove(watcher, caller)
    await repository.delete(session, watcher)
