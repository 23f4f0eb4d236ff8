"""The Celery app of the monitor worker and beat (queue ``monitor``), with the spec's schedule.

Schema every 5 minutes, quality every 15, availability every minute; each interval is a
setting. A scheduled sweep expires after one interval, so a worker that was down does not
run a backlog of stale sweeps when it comes back.
"""

from __future__ import annotations

from celery import Celery

from compliance_monitor.config import QUEUE, get_settings

settings = get_settings()

celery_app = Celery(
    "compliance_monitor",
    broker=settings.redis_url,
    include=[
        "compliance_monitor.tasks.schema_check",
        "compliance_monitor.tasks.quality_check",
        "compliance_monitor.tasks.availability_check",
    ],
)

celery_app.conf.update(
    task_default_queue=QUEUE,
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    timezone="UTC",
    enable_utc=True,
    task_time_limit=settings.sweep_time_limit + 30,
    task_soft_time_limit=settings.sweep_time_limit,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        "check-all-schemas": {
            "task": "compliance_monitor.tasks.schema_check.check_all_schemas",
            "schedule": settings.schema_interval,
            "options": {"queue": QUEUE, "expires": settings.schema_interval},
        },
        "check-all-quality": {
            "task": "compliance_monitor.tasks.quality_check.check_all_quality",
            "schedule": settings.quality_interval,
            "options": {"queue": QUEUE, "expires": settings.quality_interval},
        },
        "check-all-availability": {
            "task": "compliance_monitor.tasks.availability_check.check_all_availability",
            "schedule": settings.availability_interval,
            "options": {"queue": QUEUE, "expires": settings.availability_interval},
        },
    },
)
