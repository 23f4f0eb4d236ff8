"""``GET /health``: 200 while the database answers (503 otherwise); the broker is reported
(datapact_common.web.health)."""

from __future__ import annotations

import redis.asyncio as aioredis
from fastapi import Request

from datapact_common.web.health import Dependency, database, health_router
from notification_service.config import get_settings
from notification_service.database import get_engine


async def _broker(request: Request) -> None:
    client = aioredis.from_url(get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        await client.ping()
    finally:
        await client.aclose()


router = health_router(
    "notification-service",
    [database(lambda request: get_engine()), Dependency("broker", _broker, required=False)],
)
