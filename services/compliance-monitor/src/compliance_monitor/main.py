"""monitor-api: ``/health``, ``POST /api/v1/checks/{contract_id}/run``, ``GET /api/v1/status``."""

from __future__ import annotations

from fastapi import FastAPI
from redis.asyncio import Redis
from redis.exceptions import RedisError

from compliance_monitor import health
from compliance_monitor.api.router import router
from compliance_monitor.config import get_settings
from compliance_monitor.monitoring.sweep import Monitor, http_client
from datapact_common.web import BodySizeLimitMiddleware, install_error_handlers
from datapact_common.web.lifespan import build_lifespan, entered, held, on_start

BODY_LIMIT = 1024 * 1024


lifespan = build_lifespan(
    on_start(lambda: get_settings().configure_logging()),
    entered("http", lambda state: http_client(get_settings())),
    held("redis", lambda state: Redis.from_url(get_settings().redis_url), close=Redis.aclose),
    held("monitor", lambda state: Monitor(get_settings(), state.http, state.redis)),
)


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
