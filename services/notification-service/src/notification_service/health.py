"""``GET /health``: 200 while the database answers (503 otherwise); the broker is reported."""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio as aioredis
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from notification_service.config import get_settings
from notification_service.database import get_engine

router = APIRouter(tags=["health"])


async def _database() -> str:
    try:
        async with asyncio.timeout(3):
            async with get_engine().connect() as connection:
                await connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any failure means "not ok"; the reason is reported
        return f"error: {type(exc).__name__}"


async def _broker() -> str:
    client = aioredis.from_url(get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        await client.ping()
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    finally:
        await client.aclose()


class Health(BaseModel):
    status: str
    service: str
    database: str
    broker: str


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
async def health() -> JSONResponse:
    database, broker = await asyncio.gather(_database(), _broker())
    body: dict[str, Any] = {
        "status": "healthy" if database == "ok" else "unhealthy",
        "service": "notification-service",
        "database": database,
        "broker": broker,
    }
    return JSONResponse(body, status_code=200 if database == "ok" else 503)
