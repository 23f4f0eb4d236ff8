"""Every DataPact API in this process, as its app, for the hostile-client tests.

The apps run without their lifespan and against a database that does not exist: these tests
are about the token check, which comes before any other work, so a request that gets past it
without the test meaning it to shows up as a 5xx instead of touching data.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service
from tests.security.routes import RouteCall, route_calls

NOWHERE = "postgresql+asyncpg://postgres@127.0.0.1:5432/datapact_security_tests_no_such_db"
os.environ.update(
    {
        "ENVIRONMENT": "test",
        "DATAPACT_SECRET_KEY": DEVELOPMENT_SECRET,
        "DATAPACT_READS_REQUIRE_AUTH": "false",
        "DATAPACT_RATE_LIMITS": "false",
        "DATABASE_URL": NOWHERE,
        "CONTRACT_DATABASE_URL": NOWHERE,
        "NOTIFICATION_DATABASE_URL": NOWHERE,
        "DICTIONARY_DATABASE_URL": NOWHERE,
        "TEMPLATE_DATABASE_URL": NOWHERE,
        "DICTIONARY_NUDGE_ENABLED": "false",
    }
)

CONTRACT_FILE = """\
name: shop_orders
version: 1.0.0
description: Orders of the shop
publisher: {team: commerce, owner: shop}
schema:
  - {name: id, data_type: integer, nullable: false, is_primary_key: true}
"""


@dataclass
class Api:
    app: FastAPI
    http: httpx.AsyncClient
    calls: list[RouteCall]  # every route of its OpenAPI document


Client = Callable[[Service], AbstractAsyncContextManager[Api]]


def _app(api: Service, tmp_path: Path) -> FastAPI:
    if api is Service.CONTRACTS:
        from contract_service.main import app as contracts

        return contracts
    if api is Service.NOTIFICATIONS:
        from notification_service.main import app as notifications

        return notifications
    if api is Service.DICTIONARY:
        from dictionary_service.main import app as dictionary

        return dictionary
    if api is Service.MONITOR:
        from compliance_monitor.main import app as monitor

        return monitor
    from datapact_agent.config import Settings
    from datapact_agent.main import create_app

    contracts_file = tmp_path / "contracts.yaml"
    contracts_file.write_text(CONTRACT_FILE, encoding="utf-8")
    return create_app(
        Settings(
            environment="test",
            database_url=f"duckdb:///{tmp_path / 'agent.duckdb'}",
            contracts=str(contracts_file),
            # another origin than the one the hostile credentials are for
            endpoint_url="http://agent.internal:8003",
        )
    )


@pytest.fixture
def client(tmp_path: Path) -> Client:
    """``async with client(Service.CONTRACTS) as api``: that API, in this process."""

    @asynccontextmanager
    async def start(api: Service) -> AsyncIterator[Api]:
        app = _app(api, tmp_path)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
                yield Api(app, http, route_calls(app))
        finally:
            agent = getattr(app.state, "agent", None)
            if api is Service.DATA_SERVICE and agent is not None:
                agent.close()

    return start
