"""Celery tasks: one sweep per kind (beat), one contract on demand.

The sweep's code (the checkers, httpx, the contract model: about 35 MB resident) is imported
by the first sweep a pool child runs, not with these modules: the worker's main process and
the beat import them only to know the tasks and never run one.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from compliance_monitor.config import get_settings

if TYPE_CHECKING:
    from compliance_monitor.monitoring.sweep import Monitor


def run_sweep(kind: str) -> dict[str, Any]:
    """A sweep of ``kind`` (a ``SweepKind`` value) in its own event loop (Celery's prefork
    children are synchronous)."""
    from compliance_monitor.monitoring.sweep import SweepKind, with_monitor

    async def work(monitor: Monitor) -> dict[str, Any]:
        return await monitor.sweep(SweepKind(kind))

    return asyncio.run(with_monitor(get_settings(), work))
