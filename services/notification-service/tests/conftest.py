"""Fixtures: a migrated PostgreSQL database, Redis DB 11 with a queue of this test process,
the API in-process (ASGI) for API tests, and a synchronous session for the worker's logic.

The environment is fixed here, before any ``notification_service`` import, so the cached
settings of this process point at the test database and queue.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from datapact_testing.postgres import (
    async_url,
    drop_database,
    migrated_database,
    test_database_name,
    truncate_all,
)
from datapact_testing.tokens import admin_token, bearer, internal_service_token, publisher_token

SERVICE_DIR = Path(__file__).resolve().parents[1]
DATABASE = test_database_name("test_notifications")
REDIS_URL = "redis://127.0.0.1:6379/11"
QUEUE = f"notifications-test-{os.getpid()}"

_OURS = ("NOTIFICATION_", "SLACK_", "DATABASE_URL", "REDIS_URL", "CONTRACT_SERVICE_URL")
for _name in list(os.environ):
    if _name.startswith(_OURS) or _name == "DASHBOARD_URL":
        del os.environ[_name]
BASE_ENV = {
    "ENVIRONMENT": "test",
    "NOTIFICATION_DATABASE_URL": async_url(DATABASE),
    "NOTIFICATION_REDIS_URL": REDIS_URL,
    "NOTIFICATION_CELERY_QUEUE": QUEUE,
    "DASHBOARD_URL": "http://dashboard.test",
    "CONTRACT_SERVICE_URL": "http://127.0.0.1:9",
    "SLACK_WEBHOOK_URL": "",
}
os.environ.update(BASE_ENV)


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    """Created and migrated (alembic upgrade head) once per test process."""
    url = migrated_database(SERVICE_DIR, "test_notifications")
    assert url.endswith(DATABASE)
    yield DATABASE
    from notification_service.database import sync_sessionmaker

    maker = sync_sessionmaker()
    if maker.kw.get("bind") is not None:
        maker.kw["bind"].dispose()
    drop_database(DATABASE)


@pytest.fixture(scope="session", autouse=True)
def _purge_test_queue() -> Iterator[None]:
    yield
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(QUEUE)
    client.close()


@pytest.fixture
def clean(database: str) -> str:
    truncate_all(database)
    return database


@pytest.fixture
def db(clean: str) -> Iterator[Session]:
    """A synchronous session (the worker's kind) in a transaction rolled back afterwards."""
    from notification_service.config import get_settings

    engine = create_engine(get_settings().sync_database_url)
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
    engine.dispose()


@pytest.fixture
async def api(clean: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process over ASGI (real database; Celery wake-ups go to the test queue)."""
    from notification_service.main import app

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://notification.test") as c:
        yield c


SERVICE = bearer(internal_service_token("monitor"))
ADMIN = bearer(admin_token())
PUBLISHER = bearer(publisher_token("sales", sub="alice"))


@pytest.fixture
def service_headers() -> dict[str, str]:
    return SERVICE


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return ADMIN


@pytest.fixture
def publisher_headers() -> dict[str, str]:
    return PUBLISHER


def make_event(
    type: str = "schema_drift",
    contract_name: str = "orders",
    *,
    fields: list[str] | None = None,
    severity: str = "warning",
    dedup_key: str | None = None,
    title: str = "Column amount changed type",
    payload: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A valid envelope of ``type`` (each type's required payload keys filled in)."""
    required: dict[str, dict[str, Any]] = {
        "quality_breach": {"check_type": "freshness", "expected": "15 minutes", "actual": "2h"},
        "compliance_recovered": {"check_type": "schema"},
        "pr_blocked": {
            "pull_request": {"repository": "acme/orders", "number": 42, "title": "Drop amount"},
            "reasons": ["field amount removed"],
        },
        "breaking_change_proposed": {
            "pull_request": {"repository": "acme/orders", "number": 42},
            "changes": [
                {"kind": "field_removed", "severity": "breaking", "field": "amount",
                 "message": "field amount removed", "affected_subscribers": ["finance"]}
            ],
        },
        "contract_updated": {"old_version": "1.0.0", "new_version": "1.1.0"},
    }  # fmt: skip
    body: dict[str, Any] = dict(required.get(type, {}))
    body.update(payload or {})
    if fields is not None:
        body["fields"] = fields
    event: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "type": type,
        "source": "compliance-monitor",
        "contract_name": contract_name,
        "contract_version": "1.0.0",
        "severity": severity,
        "title": title,
        "payload": body,
    }
    if dedup_key is not None:
        event["dedup_key"] = dedup_key
    event.update(extra)
    return event


def contract_document(
    name: str = "orders",
    *,
    publisher_email: str | None = "owner@sales.example",
    subscribers: list[dict[str, Any]] | None = None,
    description: str = "Every order placed in the shop.",
) -> dict[str, Any]:
    """A valid contract document (datapact_common.contract_schema)."""
    return {
        "name": name,
        "version": "1.0.0",
        "description": description,
        "publisher": {"team": "sales", "owner": "alice", "contact_email": publisher_email},
        "schema": [
            {"name": "order_id", "data_type": "integer", "nullable": False,
             "is_primary_key": True, "description": "Order number"},
            {"name": "customer_id", "data_type": "integer", "nullable": False},
            {"name": "amount", "data_type": "decimal", "description": "Total in EUR"},
            {"name": "status", "data_type": "string"},
        ],
        "subscribers": subscribers
        if subscribers is not None
        else [
            {"team": "finance", "fields_used": ["amount", "order_id"],
             "contact_email": "finance@corp.example"},
            {"team": "marketing", "fields_used": ["customer_id"],
             "contact_email": "marketing@corp.example"},
            {"team": "bi", "fields_used": [], "contact_email": "bi@corp.example"},
        ],
    }  # fmt: skip


@pytest.fixture
def new_event() -> Any:
    """``new_event(type, contract_name, fields=..., ...)`` → an envelope dict."""
    return make_event


@pytest.fixture
def new_contract() -> Any:
    """``new_contract(name, publisher_email=..., subscribers=...)`` → a contract document."""
    return contract_document
