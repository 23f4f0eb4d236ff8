"""The schema sweep (every 5 minutes by default)."""

from __future__ import annotations

from typing import Any

from compliance_monitor.celery_app import celery_app
from compliance_monitor.errors import UpstreamUnavailableError
from compliance_monitor.tasks import run_sweep


@celery_app.task(
    name="compliance_monitor.tasks.schema_check.check_all_schemas",
    autoretry_for=(UpstreamUnavailableError,),
    retry_backoff=5,
    max_retries=3,
)
def check_all_schemas() -> dict[str, Any]:
    return run_sweep("schema")
