"""Task: pick up whatever a crash or a lost message left behind, and send due digests.

The code is sweep_impl.py, imported when the task first runs, or by each pool child as it
starts (celery_app.py, TASK_CODE): the worker's main process only registers the name.
"""

from __future__ import annotations

from notification_service.celery_app import celery_app
from notification_service.enqueue import SWEEP_TASK


@celery_app.task(name=SWEEP_TASK)
def sweep() -> dict[str, int]:
    from notification_service.tasks.sweep_impl import run

    return run()
