"""The dictionary-service app: routers, error handlers, and the background sync."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI
from starlette.datastructures import State

from datapact_common.web import (
    BodySizeLimitMiddleware,
    install_error_handlers,
    single_valued_query,
)
from datapact_common.web.lifespan import build_lifespan, engine, held, on_start
from dictionary_service import health
from dictionary_service.catalog.router import router as catalog_router
from dictionary_service.config import get_settings
from dictionary_service.database import get_engine, get_sessionmaker
from dictionary_service.erd.router import router as erd_router
from dictionary_service.search.router import router as search_router
from dictionary_service.sync.router import router as sync_router
from dictionary_service.sync.runner import SyncRunner
from dictionary_service.sync.setup import make_synchronizer

MAX_BODY_BYTES = 1024 * 1024
logger = logging.getLogger(__name__)


def _start_sync(state: State) -> SyncRunner:
    settings = get_settings()
    runner = SyncRunner(
        make_synchronizer(settings, get_engine(), get_sessionmaker()),
        interval=settings.sync_interval_seconds if settings.sync_enabled else None,
        reconcile_interval=settings.sync_reconcile_seconds or None,
    )
    runner.start()
    return runner


lifespan = build_lifespan(
    on_start(lambda: get_settings().configure_logging()),
    engine(get_engine),
    held("sync_runner", _start_sync, close=SyncRunner.stop),
)


def create_app() -> FastAPI:
    app = FastAPI(
        title="DataPact dictionary-service",
        version="1.0.0",
        description="Search and ERD over every data contract, from its own read model.",
        lifespan=lifespan,
        # Every parameter of this API takes one value: a name given twice is refused.
        dependencies=[Depends(single_valued_query)],
        **get_settings().api_docs_options(),
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(catalog_router)
    app.include_router(search_router)
    app.include_router(sync_router)
    app.include_router(erd_router)
    return app


app = create_app()
