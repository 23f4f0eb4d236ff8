"""The notification worker's Celery app (queue ``notifications``, NOTIFICATION_CELERY_QUEUE).

Delivery guarantees come from the database, not from the broker: every message is only a
wake-up for a row whose state says what is left to do. ``acks_late`` +
``task_reject_on_worker_lost`` make Redis hand a crashed task to another worker, and the
periodic sweep (a worker bootstep, no beat needed) re-enqueues anything whose wake-up was lost.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, bootsteps
from celery.signals import worker_process_shutdown, worker_ready

from notification_service.config import get_settings


def create_celery() -> Celery:
    settings = get_settings()
    app = Celery("notification_service")
    # Hard limit below the send lease: a hung send is killed before anyone may take it over.
    time_limit = max(int(settings.send_lease_seconds * 0.75), 1)
    app.conf.update(
        broker_url=settings.redis_url,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": settings.visibility_timeout_seconds},
        task_default_queue=settings.celery_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_time_limit=time_limit,
        task_soft_time_limit=max(time_limit - 1, 1),
        worker_prefetch_multiplier=settings.worker_prefetch_multiplier,
        worker_cancel_long_running_tasks_on_connection_loss=False,
        include=[
            "notification_service.tasks.process",
            "notification_service.tasks.send",
            "notification_service.tasks.sweep",
        ],
    )
    app.steps["worker"].add(SweepTimer)
    return app


class SweepTimer(bootsteps.StartStopStep):
    """Enqueues a sweep every NOTIFICATION_SWEEP_INTERVAL_SECONDS from the worker's timer."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        interval = get_settings().sweep_interval_seconds
        self.tref = worker.timer.call_repeatedly(interval, enqueue_sweep, priority=10)

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


def enqueue_sweep() -> None:
    from notification_service.tasks.sweep import sweep

    sweep.apply_async(expires=get_settings().sweep_interval_seconds)


@worker_ready.connect
def _sweep_on_start(**_: Any) -> None:
    # Whatever a crashed predecessor left behind is picked up at once, not after an interval.
    enqueue_sweep()


@worker_process_shutdown.connect
def _close_channels(**_: Any) -> None:
    from notification_service.channels.registry import close_all

    close_all()


celery_app = create_celery()
