"""Publishing wake-ups over one broker connection."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from notification_service.celery_app import celery_app

# Notifications per send task: a Celery task costs more CPU than an e-mail (publish,
# consume, hand to a pool process, acknowledge), so they travel in small batches.
SEND_BATCH = 25


def enqueue_sends(ids: Iterable[uuid.UUID]) -> None:
    from notification_service.tasks.send import send_notifications

    keys = [str(i) for i in ids]
    if not keys:
        return
    with celery_app.producer_or_acquire() as producer:
        for start in range(0, len(keys), SEND_BATCH):
            batch = keys[start : start + SEND_BATCH]
            send_notifications.apply_async((batch,), producer=producer)


def enqueue_processing() -> None:
    from notification_service.tasks.process import process_events

    process_events.apply_async()
