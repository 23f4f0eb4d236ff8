"""`GET /health`: healthy only when the database answers (datapact_common.web.health)."""

from __future__ import annotations

from contract_service.config import get_settings
from contract_service.database import get_engine
from datapact_common.web.health import database, health_router

router = health_router(
    "contract-service",
    [database(lambda request: get_engine())],
    timeout=lambda request: get_settings().health_timeout_seconds,
)
