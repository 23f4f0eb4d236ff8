"""The shared ``/health`` route: one shape, each dependency's status, 503 only for a
required one (a real FastAPI app, real PostgreSQL)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI, Request

from datapact_common.db import make_engine
from datapact_common.web.health import Dependency, database, health_router
from datapact_testing import postgres as pg

UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"


async def _hangs(request: Request) -> None:
    await asyncio.Event().wait()


async def _refuses(request: Request) -> None:
    raise ConnectionRefusedError("no")


def _app(url: str, *extra: Dependency) -> FastAPI:
    engine = make_engine(url, pool_size=1, max_overflow=0)
    app = FastAPI()
    app.state.engine = engine
    app.include_router(
        health_router(
            lambda request: "probe-service", [database(lambda request: engine), *extra], 0.5
        )
    )
    return app


async def _get(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/health")
    finally:
        await app.state.engine.dispose()


@pytest.fixture(scope="module")
def url() -> str:
    return pg.async_url("postgres")


async def test_healthy_lists_every_dependency(url: str) -> None:
    response = await _get(_app(url))
    assert response.status_code == 200
    assert response.json() == {
        "status": "healthy",
        "service": "probe-service",
        "dependencies": {"database": "ok"},
    }


async def test_a_required_dependency_down_is_503(url: str) -> None:
    response = await _get(_app(UNREACHABLE))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["dependencies"]["database"].startswith("unavailable: ")


async def test_an_optional_dependency_is_reported_without_failing(url: str) -> None:
    broker = Dependency("broker", _refuses, required=False)
    response = await _get(_app(url, broker))
    assert response.status_code == 200
    assert response.json()["dependencies"] == {
        "database": "ok",
        "broker": "unavailable: ConnectionRefusedError",
    }


async def test_a_dependency_that_hangs_times_out(url: str) -> None:
    response = await _get(_app(url, Dependency("cache", _hangs)))
    assert response.status_code == 503
    assert response.json()["dependencies"]["cache"] == "unavailable: TimeoutError"


def test_the_openapi_document_names_the_one_shape(url: str) -> None:
    schemas = _app(url).openapi()["components"]["schemas"]
    assert set(schemas["HealthBody"]["properties"]) == {"status", "service", "dependencies"}
