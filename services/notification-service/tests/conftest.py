"""Fixtures: a migrated PostgreSQL database, Redis DB 11 with a queue of this test process,
the API in-process (ASGI) for API tests, and a synchronous session for the worker's logic.

The environment is fixed here, before any ``notification_service`` import, so the cached
settings of this process point at the test database and queue.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from datapact_common.tokens import Service
from datapact_testing.http_sink import HttpSink
from datapact_testing.polling import eventually
from datapact_testing.postgres import (
    async_url,
    drop_database,
    migrated_database,
    test_database_name,
    truncate_all,
)
from datapact_testing.processes import (
    ServiceProcess,
    celery_worker_process,
    free_port,
    uvicorn_process,
)
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.smtp import HoldingSmtpSink
from datapact_testing.tokens import admin_token, bearer, internal_service_token, publisher_token

SERVICE_DIR = Path(__file__).resolve().parents[1]
DATABASE = test_database_name("test_notifications")
REDIS_URL = suite_redis_url(11)
QUEUE = f"notifications-test-{os.getpid()}"
# The running platform has a database and a queue of its own, so its worker never touches
# what the in-process tests write.
LIVE_QUEUE = f"{QUEUE}-live"

_OURS = ("NOTIFICATION_", "SLACK_", "DATABASE_URL", "REDIS_URL", "CONTRACT_SERVICE_URL")
for _name in list(os.environ):
    if _name.startswith(_OURS) or _name == "DASHBOARD_URL":
        del os.environ[_name]
BASE_ENV = {
    "ENVIRONMENT": "test",
    # DATABASE_URL, not NOTIFICATION_DATABASE_URL: the harness runs Alembic with DATABASE_URL
    # and the prefixed name would win over it.
    "DATABASE_URL": async_url(DATABASE),
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


def purge_queues(client: redis.Redis, queues: set[str]) -> None:
    """Remove our queues, their bindings and their unacknowledged messages from Redis
    (killed workers leave some behind in the ``unacked`` hash)."""
    for queue in queues:
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
    for tag, raw in client.hgetall("unacked").items():
        try:
            _, exchange, routing_key = json.loads(raw)
        except (ValueError, TypeError):
            continue
        if routing_key in queues or exchange in queues:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture(scope="session", autouse=True)
def _purge_test_queues() -> Iterator[None]:
    yield
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    purge_queues(client, {QUEUE, LIVE_QUEUE, "contracts"})
    client.close()


def empty(database: str) -> None:
    for attempt in range(10):
        try:
            truncate_all(database)
            return
        except psycopg.errors.DeadlockDetected:
            if attempt == 9:
                raise
            time.sleep(0.1)


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


SERVICE = bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS))
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


# --- the running platform: real processes on loopback ------------------------------------

CONTRACT_DIR = SERVICE_DIR.parent / "contract-service"


class Registry:
    """The real contract-service (its API), where the notification-service reads contracts."""

    def __init__(self, process: ServiceProcess, database: str) -> None:
        self.process = process
        self.database = database
        self.http = httpx.Client(
            base_url=process.base_url or "", headers=bearer(admin_token()), timeout=30
        )

    def register(self, document: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post("/api/v1/contracts", json=document)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


@dataclass
class Platform:
    api: ServiceProcess
    worker: ServiceProcess
    mailbox: HoldingSmtpSink
    slack: HttpSink
    registry: Registry
    database: str
    http: httpx.Client

    def post_event(self, event: dict[str, Any]) -> httpx.Response:
        return self.http.post("/api/v1/events", json=event, headers=SERVICE)

    def notifications(self, **params: Any) -> list[dict[str, Any]]:
        response = self.http.get(
            "/api/v1/notifications", params={"limit": 500, **params}, headers=ADMIN
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["notifications"]
        return items

    def wait(self, condition: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
        """Poll ``condition`` until it returns something truthy."""
        return eventually(
            condition, what or str(condition), within=timeout, diagnose=self.worker.logs
        )

    def settled(
        self, event_id: str, count: int | None = None, timeout: float = 30.0
    ) -> list[dict[str, Any]]:
        """The event's notifications once none is pending or sending any more."""

        def done() -> list[dict[str, Any]] | None:
            items = self.notifications(event_id=event_id)
            if count is not None and len(items) != count:
                return None
            if not items or any(n["status"] in ("pending", "sending") for n in items):
                return None
            return items

        result: list[dict[str, Any]] = self.wait(
            done, timeout=timeout, what=f"event {event_id} to settle"
        )
        return result

    def start_worker(self) -> None:
        self.worker.start()
        self.wait(lambda: " ready." in self.worker.logs(), what="the worker to be ready")


WORKER_ENV = {
    "NOTIFICATION_SMTP_TIMEOUT_SECONDS": "2",
    "NOTIFICATION_CONTRACT_CACHE_SECONDS": "0",
    "NOTIFICATION_RATE_LIMIT_PER_HOUR": "3",
    "NOTIFICATION_MAX_ATTEMPTS": "5",
    "NOTIFICATION_RETRY_BACKOFF_SECONDS": "0.5",
    "NOTIFICATION_RETRY_BACKOFF_MAX_SECONDS": "4",
    "NOTIFICATION_SEND_LEASE_SECONDS": "6",
    "NOTIFICATION_SWEEP_INTERVAL_SECONDS": "0.5",
    "NOTIFICATION_SWEEP_GRACE_SECONDS": "3",
    "NOTIFICATION_VISIBILITY_TIMEOUT_SECONDS": "60",
    "NOTIFICATION_WORKER_PREFETCH_MULTIPLIER": "1",
}


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    live_url = migrated_database(SERVICE_DIR, "test_notif_live")
    live_db = live_url.rsplit("/", 1)[1]
    registry_url = migrated_database(CONTRACT_DIR, "test_notif_registry")
    registry_db = registry_url.rsplit("/", 1)[1]
    unused = f"http://127.0.0.1:{free_port()}"
    contract_api = uvicorn_process(
        "contract-api",
        "contract_service.main:app",
        env={
            "ENVIRONMENT": "test",
            "CONTRACT_DATABASE_URL": registry_url,
            "CONTRACT_REDIS_URL": REDIS_URL,
            "NOTIFICATION_SERVICE_URL": unused,
            "DICTIONARY_SERVICE_URL": unused,
            "DICTIONARY_NUDGE_ENABLED": "false",
        },
        cwd=tmp_path_factory.mktemp("contract-api"),
    )
    mailbox = HoldingSmtpSink().start()
    slack = HttpSink().start()
    env = {
        **BASE_ENV,
        **WORKER_ENV,
        "NOTIFICATION_DATABASE_URL": live_url,
        "NOTIFICATION_CELERY_QUEUE": LIVE_QUEUE,
        "CONTRACT_SERVICE_URL": "",
        "NOTIFICATION_SMTP_HOST": "127.0.0.1",
        "NOTIFICATION_SMTP_PORT": str(mailbox.port),
        "SLACK_WEBHOOK_URL": f"{slack.url}/services/T000/B000/XXXX",
    }
    api = uvicorn_process(
        "notification-api",
        "notification_service.main:app",
        env=env,
        cwd=tmp_path_factory.mktemp("notification-api"),
    )
    worker = celery_worker_process(
        "notification-worker",
        "notification_service.celery_app.celery_app",
        env=env,
        queues=[LIVE_QUEUE],
        concurrency=2,
        cwd=tmp_path_factory.mktemp("notification-worker"),
    )
    running: list[ServiceProcess] = []
    try:
        contract_api.start()
        running.append(contract_api)
        env["CONTRACT_SERVICE_URL"] = contract_api.base_url or ""
        api.env.update(env)
        worker.env.update(env)
        api.start()
        running.append(api)
        with httpx.Client(base_url=api.base_url or "", timeout=30) as http:
            platform = Platform(
                api=api,
                worker=worker,
                mailbox=mailbox,
                slack=slack,
                registry=Registry(contract_api, registry_db),
                database=live_db,
                http=http,
            )
            platform.start_worker()
            running.append(worker)
            yield platform
    finally:
        for process in reversed(running):
            process.stop()
        worker.stop()
        mailbox.stop()
        slack.stop()
        drop_database(registry_db)
        drop_database(live_db)


@pytest.fixture
def live(platform: Platform) -> Platform:
    """The platform with empty databases and sinks, the worker running."""
    platform.mailbox.release()
    platform.mailbox.collector.refuse.clear()
    if not platform.mailbox._controller:
        platform.mailbox.start()
    if not platform.worker.running:
        platform.start_worker()
    empty(platform.database)  # the worker's sweep keeps querying: retry a deadlock
    truncate_all(platform.registry.database)
    platform.mailbox.clear()
    with platform.slack._lock:
        platform.slack.requests.clear()
    platform.slack.status = 200
    return platform


@pytest.fixture(scope="module")
def contract_worker(
    platform: Platform, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    """The real contract-worker: relays the contract-service's outbox to our API (one per
    test module that asks for it)."""
    registry = platform.registry.process
    worker = celery_worker_process(
        "contract-worker",
        "contract_service.worker.celery_app",
        env={
            "ENVIRONMENT": "test",
            "CONTRACT_DATABASE_URL": registry.env["CONTRACT_DATABASE_URL"],
            "CONTRACT_REDIS_URL": registry.env["CONTRACT_REDIS_URL"],
            "NOTIFICATION_SERVICE_URL": platform.api.base_url,
            "DICTIONARY_NUDGE_ENABLED": "false",
        },
        queues=["contracts"],
        cwd=tmp_path_factory.mktemp("contract-worker"),
    )
    worker.start()
    yield worker
    worker.stop()
