"""monitor-api: ``/health``, ``POST /api/v1/checks/{contract_id}/run``, ``GET /api/v1/status``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from redis.asyncio import Redis
from redis.exceptions import RedisError

from compliance_monitor import health
from compliance_monitor.api.router import router
from compliance_monitor.config import get_settings
from compliance_monitor.monitoring.sweep import Monitor, http_client
from datapact_common.web import BodySizeLimitMiddleware, install_error_handlers

BODY_LIMIT = 1024 * 1024


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    settings.configure_logging()
    redis = Redis.from_url(settings.redis_url)
    async with http_client(settings) as http:
        app.state.monitor = Monitor(settings, http, redis)
        try:
            yield
        finally:
            await redis.aclose()


def create_app() -> FastAPI:
    app = FastAPI(
        title="DataPact compliance monitor",
        version="1.0.0",
        description="Checks live data services against their contracts; records and alerts.",
        lifespan=lifespan,
        **get_settings().api_docs_options(),
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=BODY_LIMIT)
    install_error_handlers(app, database=False, unavailable={RedisError: "Redis"})
    app.include_router(health.router)
    app.include_router(router)
    return app


app = create_app()
