"""Reading the notification history; re-queuing a failed notification."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.db import after_commit
from datapact_common.exceptions import ConflictError, NotFoundError
from notification_service.notifications import repository
from notification_service.notifications.models import Notification
from notification_service.notifications.repository import NotificationFilter
from notification_service.notifications.schemas import NotificationOut, NotificationPage


async def history(
    session: AsyncSession, filters: NotificationFilter, *, skip: int, limit: int
) -> NotificationPage:
    rows, total = await repository.list_notifications(session, filters, skip=skip, limit=limit)
    return NotificationPage(
        notifications=[NotificationOut.model_validate(r) for r in rows],
        total=total,
        skip=skip,
        limit=limit,
    )


async def get(session: AsyncSession, notification_id: uuid.UUID) -> Notification:
    notification = await repository.get_notification(session, notification_id)
    if notification is None:
        raise NotFoundError(f"notification {notification_id} not found")
    return notification


def send_after_commit(notification_id: uuid.UUID) -> Any:
    """The after-commit hook that queues one notification's send task."""

    async def publish() -> None:
        from notification_service.tasks.send import send_notification

        await asyncio.to_thread(send_notification.apply_async, (str(notification_id),), retry=False)

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
