"""Waiting for something to happen, the one way tests do it.

``eventually(check, what)`` calls ``check`` until it returns something truthy and returns
that; after ``within`` seconds it fails with ``what`` (and ``diagnose()``, e.g. a worker's
log). ``within`` is a limit for a hung test, never an assertion about speed. Exceptions of
the types in ``ignoring`` count as "not yet" (a server still starting). ``eventually_async``
is the same for tests whose event loop must keep running while they wait (the code under
test runs on it).

A negative assertion ("it did not happen") never waits for a while and looks: it waits
until the thing that would have acted has demonstrably finished, then looks.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    check: Callable[[], T | None],
    what: str,
    *,
    within: float = 30.0,
    interval: float = 0.05,
    ignoring: tuple[type[BaseException], ...] = (),
    diagnose: Callable[[], str] | None = None,
) -> T:
    deadline = time.monotonic() + within
    while True:
        try:
            value = check()
        except ignoring:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(_failure(what, within, diagnose))
        time.sleep(interval)


async def eventually_async(
    check: Callable[[], T | Awaitable[T | None] | None],
    what: str,
    *,
    within: float = 30.0,
    interval: float = 0.02,
    ignoring: tuple[type[BaseException], ...] = (),
    diagnose: Callable[[], str] | None = None,
) -> T:
    deadline = time.monotonic() + within
    while True:
        try:
            result = check()
            value = await result if isinstance(result, Awaitable) else result
        except ignoring:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(_failure(what, within, diagnose))
        await asyncio.sleep(interval)


def _failure(what: str, within: float, diagnose: Callable[[], str] | None) -> str:
    message = f"{what}: still not so after {within:g} s"
    return f"{message}\n{diagnose()}" if diagnose is not None else message
