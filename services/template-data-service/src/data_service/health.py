"""GET /health: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from data_service.database import EngineDep
from data_service.dependencies import SettingsDep

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class HealthResponse(BaseModel):
    status: str
    database: str
    service: str


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "the database does not answer"}},
)
async def health(engine: EngineDep, settings: SettingsDep) -> JSONResponse:
    try:
        async with asyncio.timeout(settings.health_timeout_seconds):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to answer means unhealthy
        logger.warning("health check failed: %s", exc)
        body = HealthResponse(
            status="unhealthy",
            database=f"unreachable: {type(exc).__name__}",
            service=settings.service_name,
        )
        return JSONResponse(status_code=503, content=body.model_dump())
    body = HealthResponse(status="healthy", database="ok", service=settings.service_name)
    return JSONResponse(content=body.model_dump())
