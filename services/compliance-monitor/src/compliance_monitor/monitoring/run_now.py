"""Run-now admission: a per-team limit on checks in progress, so one team's flood of
run-now requests against a slow data service never delays another team's.

Counted per monitor-api process (each worker admits ``MONITOR_RUN_NOW_PER_TEAM``); the
total time of one run is bounded by ``MONITOR_RUN_NOW_BUDGET_SECONDS`` (``Monitor.check``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from datapact_common.exceptions import RateLimitedError


class RunNowLimiter:
    def __init__(self, per_team: int, retry_after: int) -> None:
        self._per_team = per_team
        self._retry_after = retry_after
        self._running: Counter[str] = Counter()

    @contextmanager
    def admit(self, team: str) -> Iterator[None]:
        """Hold one of ``team``'s places for the block; 429 when it has none left."""
        if self._running[team] >= self._per_team:
            raise RateLimitedError(
                f"team '{team}' already has {self._per_team} run-now check(s) in progress "
                "(MONITOR_RUN_NOW_PER_TEAM); try again when they finish",
                retry_after=self._retry_after,
            )
        self._running[team] += 1
        try:
            yield
        finally:
            self._running[team] -= 1
            if self._running[team] <= 0:
                del self._running[team]
