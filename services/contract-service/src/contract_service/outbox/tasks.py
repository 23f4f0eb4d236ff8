"""Celery tasks of the outbox (queue ``contracts``)."""

from __future__ import annotations

import asyncio
from typing import Any

from celery import Task

from contract_service.config import get_settings
from contract_service.database import task_sessionmaker
from contract_service.enqueue import RELAY_TASK
from contract_service.outbox.relay import RelayResult, relay_pending
from contract_service.worker import celery_app


async def _relay() -> RelayResult:
    async with task_sessionmaker() as sessionmaker:
        return await relay_pending(sessionmaker, get_settings())


@celery_app.task(name=RELAY_TASK, bind=True, max_retries=get_settings().outbox_task_max_retries)
def relay_outbox(self: Task[Any, Any], periodic: bool = False) -> dict[str, Any]:
    """Send due outbox events. A run queued after a commit retries with backoff while
    the notification service fails; the periodic run (beat) does not, it simply comes again."""
    result = asyncio.run(_relay())
    retries_left = self.request.retries < (self.max_retries or 0)
    if result.failed and not periodic and result.retry_in is not None and retries_left:
        raise self.retry(countdown=max(1.0, result.retry_in))
    return result.as_dict()
