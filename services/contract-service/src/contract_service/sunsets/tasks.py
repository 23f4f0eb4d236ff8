"""Celery task of the sunset sweep (queue ``contracts``; the beat runs it hourly)."""

from __future__ import annotations

import asyncio

from contract_service.config import CELERY_QUEUE
from contract_service.database import task_session
from contract_service.enqueue import SUNSET_TASK
from contract_service.sunsets.service import sweep
from contract_service.worker import celery_app
from datapact_common.timeutil import utcnow

# Hourly: the reminders are by the day, and they are de-duplicated in the database, so a
# run more or less (a restart, two beats) changes nothing.
SWEEP_SECONDS = 3600.0
celery_app.conf.beat_schedule = {
    **(celery_app.conf.beat_schedule or {}),
    "contract-sunset-reminders": {
        "task": SUNSET_TASK,
        "schedule": SWEEP_SECONDS,
        "options": {"queue": CELERY_QUEUE, "expires": SWEEP_SECONDS},
    },
}


async def _sweep() -> int:
    async with task_session() as session:
        return len(await sweep(session, utcnow().date()))


@celery_app.task(name=SUNSET_TASK)
def sweep_sunsets() -> dict[str, int]:
    """Send the field deprecation notices and sunset reminders due today."""
    return {"sent": asyncio.run(_sweep())}
