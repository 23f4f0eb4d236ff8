"""The cyclic garbage collector: paused for a burst of work, kept off long-lived objects.

Paused: a compliance sweep of 10,000 contracts allocates tens of millions of containers
(every page of the agent's answers, every result with its details) beside a large live heap
(parsed contracts, results so far): the collector's passes over that heap were 11.1 of the
monitor's 23.8 CPU-s in a round (2026-12-06, ``cpu_s_per_round.monitor_gc`` of the
compliance benchmark). What a sweep allocates is freed by reference counting; a cycle it
leaves waits for the collector's next pass once the burst ends.

Frozen: the data agent keeps a plan per table (sqlglot trees and all); with 10,000 tables,
its collector's passes over them were 40-55 % of its CPU per round of pages (0.8-6.6 of
4.2-11.8 s), 1.0-2.3 s once they were frozen."""

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


def freeze_survivors() -> None:
    """Collect, then move every object still alive out of the collector's sight: what is
    kept for the process's life (modules at start-up, the agent's plans) is never traversed
    again. Later collections walk only what was made since."""
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Give frozen objects back to the collector: some kept ones are being let go (plans
    replaced), and a cycle among them would otherwise never be freed. The next
    :func:`freeze_survivors` freezes whatever is still alive."""
    gc.unfreeze()
