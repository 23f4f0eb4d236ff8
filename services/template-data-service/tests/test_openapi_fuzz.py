"""schemathesis over the OpenAPI of a real uvicorn process: no 5xx, responses as documented."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy.ext.asyncio import AsyncSession

from data_service.dataset.seeding import seed_shop
from datapact_testing.postgres import async_url
from datapact_testing.processes import ServiceProcess, uvicorn_process


async def _seed(database: str, connect: Any) -> None:
    async with connect(database) as engine, AsyncSession(engine) as session, session.begin():
        await seed_shop(session, rows=60, seed=2)


@pytest.fixture(scope="module")
def running_service(shared_database: str) -> Iterator[ServiceProcess]:
    env = {
        "TEMPLATE_DATABASE_URL": async_url(shared_database),
        "ENVIRONMENT": "test",
        "GENERATOR_ENABLED": "false",
    }
    with uvicorn_process("template-api", "data_service.main:app", env=env) as process:
        yield process


@pytest.fixture
def api_schema(running_service: ServiceProcess, database: str, connect: Any) -> Any:
    asyncio.run(_seed(database, connect))
    return schemathesis.openapi.from_url(f"{running_service.base_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


# The whole run covers every operation: slow on a loaded 2-core machine, not a hang.
@pytest.mark.timeout(900)
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_documented_responses(case: Any) -> None:
    case.call_and_validate()
