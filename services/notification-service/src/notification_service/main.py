"""The notification-service API (``uvicorn notification_service.main:app``)."""

from __future__ import annotations

from fastapi import FastAPI

from datapact_common.web import BodySizeLimitMiddleware, install_error_handlers
from datapact_common.web.lifespan import build_lifespan, engine, freeze_gc, on_start
from notification_service import health
from notification_service.config import get_settings
from notification_service.database import get_engine, get_ingest_engine
from notification_service.enqueue import notification_queue
from notification_service.events.router import router as events_router
from notification_service.notifications.router import router as notifications_router
from notification_service.preferences.router import router as preferences_router
from notification_service.watchers.router import router as watchers_router

# Celery and the broker transport are loaded before the first request, not by the first
# wake-up's thread while requests wait (docs/performance.md, "Notification ingest").
lifespan = build_lifespan(
    engine(get_engine),
    engine(get_ingest_engine),
    on_start(notification_queue.preload),
    freeze_gc(),
)


def create_app() -> FastAPI:
    settings = get_settings()
    settings.configure_logging()
    app = FastAPI(
        title="DataPact notification service",
        version="0.1.0",
        description="Events in; the right people notified once (docs/notifications.md).",
        lifespan=lifespan,
        **settings.api_docs_options(),
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(events_router)
    app.include_router(notifications_router)
    app.include_router(watchers_router)
    app.include_router(preferences_router)
    return app


app = create_app()
