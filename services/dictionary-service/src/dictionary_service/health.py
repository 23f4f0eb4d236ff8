"""GET /health: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from dictionary_service.database import get_sessionmaker

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/health", responses={503: {"description": "the database does not answer"}})
async def health() -> JSONResponse:
    try:
        async with get_sessionmaker()() as session:
            await session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("health check: database unreachable: %s", exc)
        return JSONResponse(
            status_code=503, content={"status": "unhealthy", "database": "unreachable"}
        )
    return JSONResponse(content={"status": "healthy", "database": "ok"})
