"""Publishing wake-ups over one broker connection."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from notification_service.celery_app import celery_app


def enqueue_sends(ids: Iterable[uuid.UUID]) -> None:
    from notification_service.tasks.send import send_notification

    ids = list(ids)
    if not ids:
        return
    with celery_app.producer_or_acquire() as producer:
        for notification_id in ids:
            send_notification.apply_async((str(notification_id),), producer=producer)


def enqueue_processing() -> None:
    from notification_service.tasks.process import process_events

    process_events.apply_async()
