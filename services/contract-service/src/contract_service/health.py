"""`GET /health`: healthy only when the database answers."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from contract_service.config import get_settings
from contract_service.database import get_engine

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    service: str = "contract-service"


async def _ping() -> None:
    async with get_engine().connect() as connection:
        await connection.execute(text("SELECT 1"))


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health() -> JSONResponse:
    try:
        await asyncio.wait_for(_ping(), timeout=get_settings().health_timeout_seconds)
    except Exception as exc:
        logger.warning("health check: database unavailable: %r", exc)
        body = Health(status="unhealthy", database=f"unavailable: {type(exc).__name__}")
        return JSONResponse(status_code=503, content=body.model_dump())
    return JSONResponse(content=Health(status="healthy", database="ok").model_dump())
