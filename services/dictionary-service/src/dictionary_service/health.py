"""GET /health: 200 when the database answers, 503 otherwise (datapact_common.web.health).
A registry outage does not make the dictionary unhealthy: it serves its own read model."""

from __future__ import annotations

from datapact_common.web.health import database, health_router
from dictionary_service.database import get_engine

router = health_router("dictionary-service", [database(lambda request: get_engine())])
