"""Waking the worker after events are committed, coalesced.

Every accepted event asks for a wake-up after its commit; within WAKEUP_DELAY seconds the
requests of one API process become one ``process_events`` message, and the worker processes
whatever is due in batches. A request arriving while a message is being published schedules
another, so no committed event is left without a wake-up after it. If Redis is away the
message is lost and the worker's sweep finds the events (docs/notifications.md).
"""

from __future__ import annotations

import asyncio
import logging

from notification_service.enqueue import PROCESS_EVENTS_TASK, notification_queue

logger = logging.getLogger(__name__)
WAKEUP_DELAY = 0.25


class Wakeup:
    def __init__(self, delay: float = WAKEUP_DELAY) -> None:
        self.delay = delay
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()

    def request(self) -> None:
        if self._scheduled:
            return
        self._scheduled = True
        task = asyncio.get_running_loop().create_task(self._publish_soon())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _publish_soon(self) -> None:
        await asyncio.sleep(self.delay)
        self._scheduled = False
        await notification_queue.send_in_thread(
            PROCESS_EVENTS_TASK, catch_up="the sweep will pick the events up", retry=False
        )


wakeup = Wakeup()
