"""Tasks: deliver one notification, or a batch (see send_impl.py and docs/notifications.md).

The code is send_impl.py, imported when a task first runs, or by each pool child as it starts
(celery_app.py, TASK_CODE): the worker's main process only registers the names.
"""

from __future__ import annotations

from notification_service.celery_app import celery_app
from notification_service.enqueue import SEND_MANY_TASK, SEND_TASK


@celery_app.task(name=SEND_TASK)
def send_notification(notification_id: str) -> None:
    from notification_service.tasks.send_impl import run_one

    run_one(notification_id)


@celery_app.task(name=SEND_MANY_TASK)
def send_notifications(notification_ids: list[str]) -> None:
    from notification_service.tasks.send_impl import run_many

    run_many(notification_ids)
