"""Reading the notification history; re-queuing a failed notification."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.db import after_commit
from datapact_common.exceptions import ConflictError, NotFoundError
from notification_service.access import Caller
from notification_service.enqueue import SEND_TASK, notification_queue
from notification_service.notifications import repository
from notification_service.notifications.models import Notification
from notification_service.notifications.repository import NotificationFilter
from notification_service.notifications.schemas import (
    NotificationDetail,
    NotificationOut,
    NotificationPage,
)


async def history(
    session: AsyncSession, filters: NotificationFilter, caller: Caller, *, skip: int, limit: int
) -> NotificationPage:
    """Newest first; recipients the caller may not see are masked (access.py)."""
    rows, total = await repository.list_notifications(session, filters, skip=skip, limit=limit)
    return NotificationPage(
        notifications=[
            NotificationOut.model_validate(r).model_copy(
                update={"recipient": caller.shown(r.recipient)}
            )
            for r in rows
        ],
        total=total,
        skip=skip,
        limit=limit,
    )


async def get(session: AsyncSession, notification_id: uuid.UUID) -> Notification:
    notification = await repository.get_notification(session, notification_id)
    if notification is None:
        raise NotFoundError(f"notification {notification_id} not found")
    return notification


def detail(notification: Notification, caller: Caller) -> NotificationDetail:
    out = NotificationDetail.model_validate(notification)
    return out.model_copy(update={"recipient": caller.shown(notification.recipient)})


def send_after_commit(notification_id: uuid.UUID) -> Any:
    """The after-commit hook that queues one notification's send task."""

    async def publish() -> None:
        await notification_queue.send_in_thread(
            SEND_TASK, str(notification_id), catch_up="the sweep will send it", retry=False
        )

    return publish


async def retry(session: AsyncSession, notification_id: uuid.UUID) -> Notification:
    notification = await get(session, notification_id)
    if not await repository.requeue_failed(session, notification_id):
        raise ConflictError(
            f"notification {notification_id} is {notification.status}; only failed ones are retried"
        )
    after_commit(session, send_after_commit(notification_id))
    await session.refresh(notification)
    return notification
