"""The FastAPI app: ``uvicorn data_service.main:app`` (Procfile ``template-api``, port 8003)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from data_service import health
from data_service.catalog.store import ContractStore
from data_service.config import Settings, get_settings
from data_service.database import create_engine_for, sessionmaker_for
from data_service.generator import Generator
from data_service.introspection.router import router as schema_router
from data_service.introspection.service import SchemaService
from data_service.metrics.router import router as metrics_router
from data_service.metrics.service import MetricsService
from data_service.reads.router import router as data_router
from datapact_common.data_service_auth import DataServiceAuth
from datapact_common.ratelimit import RateLimiter
from datapact_common.web import BodySizeLimitMiddleware, install_error_handlers

MAX_BODY_BYTES = 1024 * 1024
logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.configure_logging()
    contracts = ContractStore(settings.contracts_path)  # a broken file stops startup here
    engine = create_engine_for(settings)
    sessionmaker = sessionmaker_for(engine)
    schema_service = SchemaService(engine, settings.schema_cache_seconds)
    metrics_service = MetricsService(engine, schema_service, settings.metrics_concurrency)

    warmed_up = asyncio.Event()

    async def warm_up() -> None:
        try:
            catalog = await contracts.current()
            await metrics_service.collect(settings.service_name, catalog)
            warmed_up.set()
        except Exception as exc:  # only a head start: the database may not be up yet
            logger.info("metrics warm-up skipped: %s", exc)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        generator = None
        if settings.generator_active:
            generator = Generator(
                sessionmaker, settings.generator_interval_seconds, settings.generator_batch_size
            )
            generator.start()
        app.state.generator = generator
        warming = asyncio.create_task(warm_up()) if settings.metrics_warmup_active else None
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await warming
            if generator is not None:
                await generator.stop()
            await engine.dispose()

    app = FastAPI(
        title="DataPact template data service",
        version="1.0.0",
        description="Datasets under DataPact contracts: /health, /schema, /metrics, /data",
        lifespan=lifespan,
        **settings.api_docs_options(),
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker
    app.state.contracts = contracts
    app.state.auth = DataServiceAuth(
        lambda: settings.datapact_secret_key,
        lambda: settings.datapact_reads_require_auth,
        endpoint_url=lambda: settings.endpoint_url,
        endpoint_setting="TEMPLATE_ENDPOINT_URL",
    )
    # No Redis here: each worker process counts on its own (docs/configuration.md).
    app.state.rate_limiter = RateLimiter(lambda: settings, app.state.auth)
    app.state.schema_service = schema_service
    app.state.metrics_service = metrics_service
    app.state.metrics_warmed_up = warmed_up
    app.state.generator = None

    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(schema_router)
    app.include_router(metrics_router)
    app.include_router(data_router)
    return app


app = create_app()
