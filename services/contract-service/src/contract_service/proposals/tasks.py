"""Celery task of the proposals (queue ``contracts``; the beat runs it hourly): the end of a
notice period checks the pull requests that showed the proposal again (docs/workflow.md)."""

from __future__ import annotations

import asyncio

from contract_service.config import CELERY_QUEUE
from contract_service.database import task_session
from contract_service.enqueue import NOTICE_TASK
from contract_service.proposals.service import notice_sweep
from contract_service.worker import celery_app
from datapact_common.timeutil import utcnow

SWEEP_SECONDS = 3600.0
celery_app.conf.beat_schedule = {
    **(celery_app.conf.beat_schedule or {}),
    "contract-proposal-notices": {
        "task": NOTICE_TASK,
        "schedule": SWEEP_SECONDS,
        "options": {"queue": CELERY_QUEUE, "expires": SWEEP_SECONDS},
    },
}


async def _sweep() -> int:
    async with task_session() as session:
        return len(await notice_sweep(session, utcnow()))


@celery_app.task(name=NOTICE_TASK)
def sweep_notices() -> dict[str, int]:
    """Proposals whose notice period ended: their pull requests are checked again."""
    return {"ended": asyncio.run(_sweep())}
