"""The notification worker's queue and task names, and wake-ups over one broker connection.

A leaf (docs/conventions.md, "Queueing work"): tasks are sent by name, so the task modules
import this one and nothing here imports them or the worker's Celery app.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from datapact_common.enqueue import TaskQueue
from notification_service.config import get_settings

PROCESS_EVENTS_TASK = "notifications.process_events"
SEND_TASK = "notifications.send"
SEND_MANY_TASK = "notifications.send_many"
SWEEP_TASK = "notifications.sweep"

# Notifications per send task: a Celery task costs more CPU than an e-mail (publish,
# consume, hand to a pool process, acknowledge), so they travel in small batches.
SEND_BATCH = 25

notification_queue = TaskQueue(
    lambda: get_settings().redis_url, lambda: get_settings().celery_queue
)


def enqueue_sends(ids: Iterable[uuid.UUID]) -> None:
    keys = [str(i) for i in ids]
    if not keys:
        return
    with notification_queue.producer() as producer:
        for start in range(0, len(keys), SEND_BATCH):
            notification_queue.send(
                SEND_MANY_TASK, keys[start : start + SEND_BATCH], producer=producer
            )


def enqueue_processing() -> None:
    notification_queue.send(PROCESS_EVENTS_TASK)
