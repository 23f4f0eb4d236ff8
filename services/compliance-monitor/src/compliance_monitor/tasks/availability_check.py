"""The availability sweep: one ``/health`` probe per data service (every minute by default).

Not retried: the next probe is a minute away and a retry would distort the uptime.
"""

from __future__ import annotations

from typing import Any

from compliance_monitor.celery_app import celery_app
from compliance_monitor.tasks import run_sweep


@celery_app.task(name="compliance_monitor.tasks.availability_check.check_all_availability")
def check_all_availability() -> dict[str, Any]:
    return run_sweep("availability")
