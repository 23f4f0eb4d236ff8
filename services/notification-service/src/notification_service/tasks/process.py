"""Task: process the due events, a batch at a time (recipients, decisions, notifications).

The code is process_impl.py, imported when the task first runs, or by each pool child as it
starts (celery_app.py, TASK_CODE): the worker's main process only registers the name.
"""

from __future__ import annotations

from notification_service.celery_app import celery_app
from notification_service.enqueue import PROCESS_EVENTS_TASK


@celery_app.task(name=PROCESS_EVENTS_TASK)
def process_events() -> int:
    from notification_service.tasks.process_impl import run

    return run()
