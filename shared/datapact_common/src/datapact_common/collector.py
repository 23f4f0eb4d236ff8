"""The cyclic garbage collector, paused for a burst of work that makes no cycles worth the
wait.

A compliance sweep of 10,000 contracts allocates tens of millions of containers (every page
of the agent's answers, every result with its details) beside a large live heap (parsed
contracts, results so far): the collector's passes over that heap were 11.1 of the monitor's
23.8 CPU-s in a round (2026-12-06, ``cpu_s_per_round.monitor_gc`` of the compliance
benchmark). What a sweep allocates is freed by reference counting; a cycle it leaves waits
for the collector's next pass once the burst ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_pauses = 0  # bursts under way in this process (async sweeps may overlap)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Automatic collection off until the last overlapping burst ends (then as before)."""
    global _pauses
    if _pauses == 0 and not gc.isenabled():  # turned off by someone else: leave it so
        yield
        return
    _pauses += 1
    gc.disable()
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0:
            gc.enable()
