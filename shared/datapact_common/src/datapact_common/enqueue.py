"""Queueing Celery tasks by name: the one way DataPact code asks a worker for work.

Code that queues work names the task (a constant in its service's ``enqueue`` module, a
leaf) and never imports the module that defines the task, nor the worker's Celery app. The
tasks may then import the code that queues them without an import cycle, and an API process
publishes without loading its worker. Every message is only a wake-up for rows the database
holds, so a publish that fails is logged and a sweep or periodic run catches up.

Celery is imported on first use: the services that queue work depend on it, the CLI (which
installs this package too) does not.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from celery import Celery

logger = logging.getLogger(__name__)


@cache
def producer_app(broker_url: str) -> Celery:
    """A Celery app that only publishes (no tasks, no worker settings), one per broker URL."""
    from celery import Celery

    app = Celery("datapact-producer", broker=broker_url, set_as_current=False)
    app.conf.update(broker_connection_retry_on_startup=True, task_ignore_result=True)
    return app


class TaskQueue:
    """A worker's queue, to which tasks are sent by name.

    ``broker_url`` is read on first use (settings are loaded lazily, and tests set them).
    """

    def __init__(self, broker_url: Callable[[], str], queue: Callable[[], str]) -> None:
        self._broker_url = broker_url
        self._queue = queue

    @property
    def app(self) -> Celery:
        return producer_app(self._broker_url())

    def preload(self) -> None:
        """Load what the first ``send`` would (Celery, kombu's transport, the producer pool),
        without connecting to the broker: an API calls it at start-up, so that the first
        publish does not import for a second in a thread while requests wait for the GIL."""
        app = self.app
        app.amqp.producer_pool  # noqa: B018  (each attribute imports and builds on first use)
        app.backend  # noqa: B018
        app.Task  # noqa: B018
        app.events.Dispatcher  # noqa: B018

    def send(self, task: str, *args: Any, **options: Any) -> None:
        """Publish ``task(*args)`` now (blocking; Celery's ``apply_async`` options apply)."""
        self.app.send_task(task, args=list(args), queue=self._queue(), **options)

    @contextmanager
    def producer(self) -> Iterator[Any]:
        """One broker connection for several ``send(..., producer=...)`` calls."""
        with self.app.producer_or_acquire() as producer:
            yield producer

    async def send_in_thread(self, task: str, *args: Any, catch_up: str, **options: Any) -> None:
        """``send`` off the event loop; a broker error is logged with who ``catch_up``s."""
        try:
            await asyncio.to_thread(self.send, task, *args, **options)
        except Exception as exc:  # broker away: the message is only a wake-up
            logger.warning("could not queue %s (%s); %s", task, exc, catch_up)
