"""Celery tasks: one sweep per kind (beat), one contract on demand."""

from __future__ import annotations

import asyncio
from typing import Any

from compliance_monitor.config import get_settings
from compliance_monitor.monitoring.sweep import Monitor, SweepKind, with_monitor


def run_sweep(kind: SweepKind) -> dict[str, Any]:
    """A sweep in its own event loop (Celery's prefork children are synchronous)."""

    async def work(monitor: Monitor) -> dict[str, Any]:
        return await monitor.sweep(kind)

    return asyncio.run(with_monitor(get_settings(), work))
