"""Fire-and-forget work started after a commit (relay kicks, dictionary nudges).

A request does not wait for it. Code whose event loop is about to end (a Celery task's
``asyncio.run``, the app's shutdown) calls :func:`drain` first so nothing is cut short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

_pending: set[asyncio.Future[Any]] = set()


def spawn(work: Awaitable[Any]) -> None:
    future = asyncio.ensure_future(work)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


async def drain(seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    mine = [f for f in _pending if not f.done() and f.get_loop() is loop]
    if mine:
        await asyncio.wait(mine, timeout=seconds)
