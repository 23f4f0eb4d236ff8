"""``GET /health`` of every service, in one shape (docs/interfaces.md, "Health"):

    {"status": "healthy", "service": "contract-service", "dependencies": {"database": "ok"}}

Each dependency is checked at once, each within the service's health timeout; one that does
not answer reads ``"unavailable: <error type>"``. The answer is 503 ``unhealthy`` when a
required dependency is unavailable; an optional one (the notification service's broker) is
reported without failing the check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

OK = "ok"


class HealthBody(BaseModel):
    status: Literal["healthy", "unhealthy"]
    service: str
    dependencies: dict[str, str] = Field(
        description='each dependency: "ok" or "unavailable: <error type>"'
    )


@dataclass(frozen=True)
class Dependency:
    """Something the service needs: ``check`` raises (or times out) when it does not answer."""

    name: str
    check: Callable[[Request], Awaitable[object]]
    required: bool = True


def database(engine: Callable[[Request], AsyncEngine], name: str = "database") -> Dependency:
    """A SQL database that answers ``SELECT 1``."""
    from sqlalchemy import text  # here, not with the module: the monitor's API has no database

    async def check(request: Request) -> None:
        async with engine(request).connect() as connection:
            await connection.execute(text("SELECT 1"))

    return Dependency(name, check)


async def _outcome(dependency: Dependency, request: Request, seconds: float) -> str:
    try:
        async with asyncio.timeout(seconds):
            await dependency.check(request)
    except Exception as exc:  # any failure to answer is the answer; the type says which
        logger.warning("health check: %s unavailable: %r", dependency.name, exc)
        return f"unavailable: {type(exc).__name__}"
    return OK


def health_router(
    service: str | Callable[[Request], str],
    dependencies: Sequence[Dependency],
    timeout: float | Callable[[Request], float] = 3.0,
) -> APIRouter:
    """The ``/health`` route: open to everyone, never rate limited."""
    router = APIRouter(tags=["health"])

    @router.get(
        "/health",
        response_model=HealthBody,
        responses={503: {"model": HealthBody, "description": "a required dependency is down"}},
    )
    async def health(request: Request) -> JSONResponse:
        seconds = timeout(request) if callable(timeout) else timeout
        outcomes = await asyncio.gather(*(_outcome(d, request, seconds) for d in dependencies))
        healthy = all(o == OK for d, o in zip(dependencies, outcomes, strict=True) if d.required)
        body = HealthBody(
            status="healthy" if healthy else "unhealthy",
            service=service(request) if callable(service) else service,
            dependencies={d.name: o for d, o in zip(dependencies, outcomes, strict=True)},
        )
        return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)

    return router
