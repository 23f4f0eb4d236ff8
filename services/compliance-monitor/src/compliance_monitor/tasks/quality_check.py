"""The quality sweep: freshness, completeness, uniqueness (every 15 minutes by default)."""

from __future__ import annotations

from typing import Any

from compliance_monitor.celery_app import celery_app
from compliance_monitor.errors import UpstreamUnavailableError
from compliance_monitor.tasks import run_sweep


@celery_app.task(
    name="compliance_monitor.tasks.quality_check.check_all_quality",
    autoretry_for=(UpstreamUnavailableError,),
    retry_backoff=5,
    max_retries=3,
)
def check_all_quality() -> dict[str, Any]:
    return run_sweep("quality")
