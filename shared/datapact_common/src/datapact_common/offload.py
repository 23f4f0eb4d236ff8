"""CPU-bound work off the event loop: parsing, validating and diffing documents.

A request that parses a large YAML body or diffs a 10,000-field contract must not hold the
event loop, or every other request of the process — ``/health`` included — waits for it. Such
work runs in a small, bounded pool of threads instead: the loop keeps answering while it runs,
and at most :data:`WORKERS` calls run at once (the rest wait their turn, holding nothing). The
work itself is bounded too (body size, document values and depth), so one call costs at most
about a second of CPU.

Threads, not processes. The GIL is handed over every few milliseconds, so the loop's thread
still runs while a parse does, only slower: each time it blocks on I/O it waits up to a switch
interval to get the GIL back, more so the more threads compete. Measured with a real uvicorn
on the shared 2-core machine (load 9-12), ``/health`` polled while 1 MiB YAML bodies of
100,000+ values were parsed (each ~1 s of CPU): everything on the loop, ``/health`` waited
for the whole parse (1.1 s; 5.0 s behind four); with 2 threads p50 65-135 ms, max 0.3-0.4 s;
with 4 threads max 1.5 s behind four; with a pool of 2 processes p50 17-28 ms, but the
first request paid the pool's start-up (6 s) and every worker keeps its own copy of pydantic
and the models (35 MB each, against a 1.5 GB budget for the idle platform). Two threads keep
the loop answering at no memory cost; a small request waits behind at most one large one.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# Under the GIL more threads add no CPU, only contention with the loop's thread: two let a
# small request's work start while a large one's runs.
WORKERS = 2

_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="datapact-cpu")
    return _executor


async def off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` in the bounded worker pool; its exceptions are raised here."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(), functools.partial(fn, *args, **kwargs))
