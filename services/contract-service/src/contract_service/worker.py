"""The contract-worker Celery app (`celery -A contract_service.worker.celery_app worker -B`).

Queue ``contracts``; tasks live in ``<domain>/tasks.py`` and are discovered below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import celeryd_init

from contract_service.config import CELERY_QUEUE, get_settings
from contract_service.enqueue import RELAY_TASK

_settings = get_settings()

celery_app = Celery("contract_service", broker=_settings.redis_url)
celery_app.conf.update(
    task_default_queue=CELERY_QUEUE,
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    enable_utc=True,
    beat_schedule={
        # Catches every outbox row a post-commit kick missed (broker down, crash, retry due).
        "contract-outbox-relay": {
            "task": RELAY_TASK,
            "schedule": _settings.outbox_relay_interval_seconds,
            "kwargs": {"periodic": True},
            "options": {
                "queue": CELERY_QUEUE,
                "expires": _settings.outbox_relay_interval_seconds * 2,
            },
        },
    },
)
celery_app.autodiscover_tasks(
    [
        "contract_service.outbox",
        "contract_service.github",
        "contract_service.sunsets",
        "contract_service.proposals",
    ],
    related_name="tasks",
)


@celeryd_init.connect
def _make_beat_schedule_dir(options: dict[str, Any] | None = None, **_: Any) -> None:
    """`-s .run/contract-beat-schedule` works even before `.run/` exists."""
    filename = (options or {}).get("schedule_filename")
    if filename:
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
