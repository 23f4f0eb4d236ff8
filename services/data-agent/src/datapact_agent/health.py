"""GET /health: 200 when the database answers ``SELECT 1`` in time, 503 otherwise."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from datapact_agent.dependencies import AgentDep

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class HealthResponse(BaseModel):
    status: str
    database: str
    service: str
    engine: str


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "the database does not answer"}},
)
async def health(agent: AgentDep) -> JSONResponse:
    body = HealthResponse(
        status="healthy",
        database="ok",
        service=agent.settings.service_name,
        engine=agent.engine.name,
    )
    try:
        async with asyncio.timeout(agent.settings.health_timeout_seconds):
            await agent.ping()
    except Exception as exc:  # any failure to answer in time means unhealthy
        logger.warning("health check failed: %s", exc)
        body.status, body.database = "unhealthy", f"unreachable: {type(exc).__name__}"
        return JSONResponse(status_code=503, content=body.model_dump())
    return JSONResponse(content=body.model_dump())
