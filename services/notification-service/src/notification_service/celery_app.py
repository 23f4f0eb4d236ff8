"""The notification worker's Celery app (queue ``notifications``, NOTIFICATION_CELERY_QUEUE).

Delivery guarantees come from the database, not from the broker: every message is only a
wake-up for a row whose state says what is left to do. ``acks_late`` +
``task_reject_on_worker_lost`` make Redis hand a crashed task to another worker, and the
periodic sweep (a worker bootstep, no beat needed) re-enqueues anything whose wake-up was lost.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from typing import Any

from celery import Celery, bootsteps
from celery.signals import worker_process_init, worker_process_shutdown

from notification_service.config import get_settings
from notification_service.enqueue import SWEEP_TASK

logger = logging.getLogger(__name__)

# The code the tasks run (SQLAlchemy, the models and repositories, the contract client, the
# channels and rendering: about 36 MB). The task modules in `include` only register the names
# and import it when a task first runs; each pool child imports it as it starts (below), so
# neither the main process (which receives the messages and hands them to the child by name)
# holds it, nor does a task's time limit pay for the import.
TASK_CODE = (
    "notification_service.tasks.process_impl",
    "notification_service.tasks.send_impl",
    "notification_service.tasks.sweep_impl",
)
# A child reports itself up once its imports are done; Celery kills one not up within 4 s,
# which a busy machine can exceed.
PROCESS_UP_SECONDS = 60.0


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
        worker_proc_alive_timeout=PROCESS_UP_SECONDS,
        include=[
            "notification_service.tasks.process",
            "notification_service.tasks.send",
            "notification_service.tasks.sweep",
        ],
    )
    app.steps["worker"].add(SweepTimer)
    return app


# The sweep thread sends only while it holds this lock, and a fork (the prefork pool making
# or replacing a child) waits for it. A child is a copy of the parent's memory with one
# thread: a lock another thread held at the fork stays held in the child for good. kombu's
# cached_property (Celery.amqp, Connection.transport, ...) takes a lock shared by every
# instance on each read (Python < 3.12), so a child forked during a sweep send blocked on its
# first send: the first process_events of a fresh worker (the SweepTimer starts before the
# pool) hung until the hard time limit, its wake-up lost until the next sweep.
_sending = threading.Lock()
_FORK_WAIT_SECONDS = 30.0  # a send stuck on an unreachable broker does not stop forks for good
_fork_holds: list[bool] = [False]


def _before_fork() -> None:
    _fork_holds[0] = _sending.acquire(timeout=_FORK_WAIT_SECONDS)


def _after_fork() -> None:
    if _fork_holds[0]:
        _fork_holds[0] = False
        _sending.release()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork, after_in_child=_after_fork)


class SweepTimer(bootsteps.StartStopStep):
    """Enqueues a sweep at start and every NOTIFICATION_SWEEP_INTERVAL_SECONDS.

    It runs in a thread of its own with its own broker connection, so a slow or absent broker
    never blocks the worker's event loop (which consumes and acknowledges tasks); a fork
    waits while it sends (``_sending``, above).
    """

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, worker: Any) -> None:
        self.stopped.clear()
        self.thread = threading.Thread(
            target=self._run, args=(worker.app,), name="notification-sweep", daemon=True
        )
        self.thread.start()

    def stop(self, worker: Any) -> None:
        self.stopped.set()

    def _run(self, app: Celery) -> None:
        interval = get_settings().sweep_interval_seconds
        while not self.stopped.is_set():
            try:
                with _sending, app.connection_for_write() as connection:
                    app.send_task(
                        SWEEP_TASK,
                        connection=connection,
                        expires=interval,
                        retry=False,
                    )
            except Exception as exc:  # broker away: try again next interval
                logger.warning("could not enqueue the sweep: %s", exc)
            self.stopped.wait(interval)


@worker_process_init.connect
def _import_task_code(**_: Any) -> None:
    for module in TASK_CODE:
        importlib.import_module(module)


@worker_process_shutdown.connect
def _close_channels(**_: Any) -> None:
    from notification_service.channels.registry import close_all

    close_all()


celery_app = create_celery()
