"""Fixtures of the compliance-monitor tests.

Unit tests use plain documents. Integration tests run the real neighbours as processes on
loopback: the contract-service (migrated throwaway database), the template-data-service
(a seeded copy per test, so a test may ALTER its tables), an HttpSink standing in for the
notification-service, and Redis database 12.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from redis.asyncio import Redis

from compliance_monitor.config import Settings
from compliance_monitor.monitoring.sweep import Monitor, SweepKind, http_client, with_monitor
from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import load_contracts, parse_contract
from datapact_common.events import EventEnvelope
from datapact_testing import postgres
from datapact_testing.http_sink import HttpSink
from datapact_testing.polling import eventually
from datapact_testing.postgres import (
    async_url,
    create_database,
    drop_database,
    migrated_database,
    sync_dsn,
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
from datapact_testing.smtp import SmtpSink
from datapact_testing.tokens import admin_token, bearer

REPO = Path(__file__).resolve().parents[3]
TEMPLATE_DIR = REPO / "services" / "template-data-service"
CONTRACT_DIR = REPO / "services" / "contract-service"
NOTIFICATION_DIR = REPO / "services" / "notification-service"
FIXTURES = Path(__file__).parent / "fixtures"
REDIS_URL = suite_redis_url(12)
_copies = itertools.count(1)


# --- unit-test builders --------------------------------------------------------------------


def contract_document(**overrides: Any) -> dict[str, Any]:
    """A customers contract like the template data service publishes."""
    document: dict[str, Any] = {
        "name": "customers",
        "version": "1.0.0",
        "publisher": {"team": "sales", "owner": "sales-data"},
        "schema": [
            {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
            {"name": "email", "data_type": "string", "nullable": False, "unique": True},
            {"name": "name", "data_type": "string", "nullable": True},
            {"name": "score", "data_type": "integer", "nullable": True},
            {"name": "updated_at", "data_type": "timestamp", "nullable": False},
        ],
        "quality": [{"metric_type": "freshness", "threshold": "15 minutes"}],
        "access": {"endpoint_url": "http://127.0.0.1:8003"},
    }
    document.update(overrides)
    return document


@pytest.fixture
def make_document() -> Callable[..., dict[str, Any]]:
    return contract_document


@pytest.fixture
def make_contract() -> Callable[..., ContractDefinition]:
    def build(**overrides: Any) -> ContractDefinition:
        return parse_contract(contract_document(**overrides))

    return build


def schema_document(columns: list[dict[str, Any]] | None = None, **table: Any) -> dict[str, Any]:
    """A ``/schema`` document with one ``customers`` table."""
    columns = columns or [
        {"name": "id", "type": "UUID", "nullable": False, "default": None, "primary_key": True},
        {"name": "email", "type": "VARCHAR(255)", "nullable": False, "primary_key": False},
        {"name": "name", "type": "VARCHAR(120)", "nullable": True, "primary_key": False},
        {"name": "score", "type": "INTEGER", "nullable": True, "primary_key": False},
        {"name": "updated_at", "type": "TIMESTAMP WITH TIME ZONE", "nullable": False},
    ]
    body = {"columns": columns, "primary_key": ["id"], "foreign_keys": [], "unique": [["email"]]}
    body.update(table)
    return {"service": "test", "tables": {"customers": body}}


@pytest.fixture
def make_schema() -> Callable[..., dict[str, Any]]:
    return schema_document


# --- databases -----------------------------------------------------------------------------


def copy_database(template: str, prefix: str) -> str:
    return postgres.copy_database(template, test_database_name(f"{prefix}{next(_copies)}"))


def run_sql(database: str, statement: str) -> None:
    with psycopg.connect(sync_dsn(database), autocommit=True) as conn:
        conn.execute(statement.encode())


def query(database: str, statement: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(sync_dsn(database), autocommit=True) as conn:
        return conn.execute(statement.encode()).fetchall()


@pytest.fixture(name="run_sql")
def run_sql_fixture() -> Callable[[str, str], None]:
    """``run_sql(database, statements)``: psql-like, autocommit."""
    return run_sql


@pytest.fixture(name="query")
def query_fixture() -> Callable[[str, str], list[tuple[Any, ...]]]:
    return query


@pytest.fixture(scope="session")
def seeded_template_database() -> Iterator[str]:
    """The template-data-service's tables, migrated and seeded once; copied per test."""
    url = migrated_database(TEMPLATE_DIR, "test_monitor_shop")
    name = url.rsplit("/", 1)[1]
    subprocess.run(
        [sys.executable, "-m", "data_service.seed", "--rows", "300", "--database-url", url],
        check=True,
        capture_output=True,
        cwd=TEMPLATE_DIR,
    )
    yield name
    drop_database(name)


SHOP_TABLES = ("customers", "products", "orders", "order_items")


@pytest.fixture
def shop_database(seeded_template_database: str) -> Iterator[str]:
    """This test's copy of the seeded shop, its rows just updated (fresh for any SLA)."""
    name = copy_database(seeded_template_database, "test_monitor_shop_c")
    for table in SHOP_TABLES:
        run_sql(name, f"UPDATE {table} SET updated_at = now()")
    yield name
    drop_database(name)


@pytest.fixture(scope="session")
def chinook_database() -> Iterator[str]:
    """The real Chinook sample (11 tables, 11 foreign keys) in a throwaway database."""
    name = test_database_name("test_monitor_chinook")
    create_database(name)
    script = (FIXTURES / "chinook" / "Chinook_PostgreSql.sql").read_text(encoding="utf-8")
    kept = [
        line
        for line in script.splitlines()
        if not re.match(r"^\s*(DROP DATABASE|CREATE DATABASE|\\c)\b", line, re.IGNORECASE)
    ]
    run_sql(name, "\n".join(kept))
    yield name
    drop_database(name)


# --- processes -----------------------------------------------------------------------------


def data_service_process(
    database: str,
    contracts_path: Path,
    workdir: Path,
    name: str = "template-data-service",
    port: int | None = None,
    **extra: str,
) -> ServiceProcess:
    url = async_url(database)
    return uvicorn_process(
        name,
        "data_service.main:app",
        env={
            "ENVIRONMENT": "test",
            "DATABASE_URL": url,
            "TEMPLATE_DATABASE_URL": url,
            "TEMPLATE_CONTRACTS_PATH": str(contracts_path),
            "TEMPLATE_GENERATOR_ENABLED": "false",
            **extra,
        },
        cwd=workdir,
        port=port,
    )


@pytest.fixture
def shop_service(shop_database: str, tmp_path: Path) -> Iterator[ServiceProcess]:
    """A real template-data-service over this test's copy of the shop database."""
    process = data_service_process(shop_database, TEMPLATE_DIR / "contract.yaml", tmp_path)
    process.start()
    yield process
    process.stop()


CHINOOK_CONTRACTS = FIXTURES / "chinook" / "contracts.yaml"


@pytest.fixture
def chinook_service(chinook_database: str, tmp_path: Path) -> Iterator[ServiceProcess]:
    """The template-data-service pointed at Chinook, measuring the Chinook contracts."""
    process = data_service_process(
        chinook_database, CHINOOK_CONTRACTS, tmp_path, name="chinook-data-service"
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture
def chinook_contracts() -> Callable[[str], list[dict[str, Any]]]:
    def documents(endpoint: str) -> list[dict[str, Any]]:
        text = CHINOOK_CONTRACTS.read_text(encoding="utf-8")
        out = []
        for contract in load_contracts(text):
            document = contract.to_document(exclude_defaults=True)
            document["access"]["endpoint_url"] = endpoint
            out.append(document)
        return out

    return documents


@pytest.fixture
def data_agent(tmp_path: Path) -> Iterator[Callable[[str, str, Path], ServiceProcess]]:
    """``data_agent(prefix, sql, contracts)``: a throwaway database (named from ``prefix``)
    built by ``sql``, and the data agent (``datapact-agent serve``) over it serving the
    ``contracts`` file, started; the agent stopped and the database dropped at teardown."""
    databases: list[str] = []
    agents: list[ServiceProcess] = []

    def start(prefix: str, sql: str, contracts: Path) -> ServiceProcess:
        database = test_database_name(prefix)
        create_database(database)
        databases.append(database)
        run_sql(database, sql)
        port = free_port()
        command = [sys.executable, "-m", "datapact_agent.cli", "serve",
                   "--database-url", sync_dsn(database), "--contracts", str(contracts),
                   "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
        agent = ServiceProcess(
            "data-agent",
            command,
            env={"ENVIRONMENT": "test"},
            health_url=f"http://127.0.0.1:{port}/health",
            cwd=tmp_path,
            base_url=f"http://127.0.0.1:{port}",
        )
        agents.append(agent)
        return agent.start()

    try:
        yield start
    finally:
        for agent in agents:
            agent.stop()
        for database in databases:
            drop_database(database)


@pytest.fixture(scope="session")
def contracts_database() -> Iterator[str]:
    url = migrated_database(CONTRACT_DIR, "test_monitor_registry")
    name = url.rsplit("/", 1)[1]
    yield name
    drop_database(name)


@pytest.fixture(scope="session")
def contract_service(
    contracts_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    url = async_url(contracts_database)
    unused = f"http://127.0.0.1:{free_port()}"
    process = uvicorn_process(
        "contract-service",
        "contract_service.main:app",
        env={
            "ENVIRONMENT": "test",
            "DATABASE_URL": url,
            "CONTRACT_DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "CONTRACT_REDIS_URL": REDIS_URL,
            "NOTIFICATION_SERVICE_URL": unused,
            "DICTIONARY_SERVICE_URL": unused,
            "DICTIONARY_NUDGE_ENABLED": "false",
        },
        cwd=tmp_path_factory.mktemp("contract-service"),
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def notifications() -> Iterator[HttpSink]:
    """Stands in for the notification-service: records every event posted to it."""
    sink = HttpSink(status=202, response_body=b'{"status": "accepted"}')
    sink.start()
    yield sink
    sink.stop()


def events_of(sink: HttpSink) -> list[EventEnvelope]:
    return [
        EventEnvelope.model_validate(r.json())
        for r in sink.received()
        if r.path == "/api/v1/events" and r.method == "POST"
    ]


@pytest.fixture
def events() -> Callable[[HttpSink], list[EventEnvelope]]:
    return events_of


# --- the notification-service (e2e tests) ---------------------------------------------


@pytest.fixture
def notification_service(
    contract_service: ServiceProcess, redis_db: Any, tmp_path: Path
) -> Iterator[tuple[ServiceProcess, SmtpSink]]:
    url = migrated_database(NOTIFICATION_DIR, "test_monitor_notifications")
    mailbox = SmtpSink().start()
    env = {
        "ENVIRONMENT": "test",
        "NOTIFICATION_DATABASE_URL": url,
        "NOTIFICATION_REDIS_URL": REDIS_URL,
        "NOTIFICATION_CELERY_QUEUE": "notifications-monitor-test",
        "CONTRACT_SERVICE_URL": contract_service.base_url or "",
        "NOTIFICATION_SMTP_HOST": "127.0.0.1",
        "NOTIFICATION_SMTP_PORT": str(mailbox.port),
        "NOTIFICATION_CONTRACT_CACHE_SECONDS": "0",
        "SLACK_WEBHOOK_URL": "",
    }
    api = uvicorn_process(
        "notification-api", "notification_service.main:app", env=env, cwd=tmp_path
    )
    worker = celery_worker_process(
        "notification-worker",
        "notification_service.celery_app.celery_app",
        env=env,
        queues=["notifications-monitor-test"],
        cwd=tmp_path,
    )
    try:
        api.start()
        worker.start()
        yield api, mailbox
    finally:
        worker.stop()
        api.stop()
        mailbox.stop()
        drop_database(url.rsplit("/", 1)[1])


def settled_notifications(
    api: ServiceProcess, contract: str, count: int, within: float = 60
) -> list[dict[str, Any]]:
    """The notification-service's history of ``contract`` once ``count`` are decided."""
    last = ""

    def done() -> list[dict[str, Any]] | None:
        nonlocal last
        # as an admin: recipients' addresses are masked for readers who may not see them
        response = httpx.get(
            f"{api.base_url}/api/v1/notifications",
            params={"contract": contract, "limit": 500},
            headers=bearer(admin_token()),
        )
        last = response.text
        items: list[dict[str, Any]] = (
            response.json()["notifications"] if response.status_code == 200 else []
        )
        if len(items) >= count and all(n["status"] not in ("pending", "sending") for n in items):
            return items
        return None

    return eventually(
        done, f"{count} settled notification(s)", within=within, interval=0.2, diagnose=lambda: last
    )


@pytest.fixture
def settled() -> Callable[..., list[dict[str, Any]]]:
    """``settled(api, contract, count)``: see :func:`settled_notifications`."""
    return settled_notifications


# --- the registry --------------------------------------------------------------------------


class Registry:
    """The real contract-service, seen through its API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, headers=bearer(admin_token()), timeout=30)

    def register(self, document: dict[str, Any]) -> str:
        response = self.http.post("/api/v1/contracts", json=document)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def contract(self, contract_id: str) -> dict[str, Any]:
        response = self.http.get(f"/api/v1/contracts/{contract_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def checks(self, contract_id: str, check_type: str | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 500}
        if check_type:
            params["check_type"] = check_type
        response = self.http.get(f"/api/v1/contracts/{contract_id}/compliance", params=params)
        assert response.status_code == 200, response.text
        checks: list[dict[str, Any]] = response.json()["checks"]
        return checks

    def latest(self, contract_id: str, check_type: str) -> dict[str, Any]:
        checks = self.checks(contract_id, check_type)
        assert checks, f"no {check_type} result recorded for {contract_id}"
        return max(checks, key=lambda c: str(c["checked_at"]))

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def registry(contract_service: ServiceProcess, contracts_database: str) -> Iterator[Registry]:
    truncate_all(contracts_database)
    client = Registry(contract_service.base_url or "")
    yield client
    client.close()


def shop_documents(endpoint: str, **quality: str) -> list[dict[str, Any]]:
    """The template's own contracts, pointed at ``endpoint``; ``quality`` overrides thresholds."""
    text = (TEMPLATE_DIR / "contract.yaml").read_text(encoding="utf-8")
    documents = []
    for contract in load_contracts(text):
        document = contract.to_document(exclude_defaults=True)
        document["access"]["endpoint_url"] = endpoint
        for metric in document.get("quality", []):
            if metric["metric_type"] in quality:
                metric["threshold"] = quality[metric["metric_type"]]
        documents.append(document)
    return documents


@pytest.fixture
def shop_contracts() -> Callable[..., list[dict[str, Any]]]:
    return shop_documents


# --- the monitor ---------------------------------------------------------------------------


def monitor_env(contract_url: str, notification_url: str, **extra: str) -> dict[str, str]:
    """Environment of a monitor process (API, worker, beat) in the tests."""
    return {
        "ENVIRONMENT": "test",
        "MONITOR_REDIS_URL": REDIS_URL,
        "CONTRACT_SERVICE_URL": contract_url,
        "NOTIFICATION_SERVICE_URL": notification_url,
        "COMPLIANCE_ALLOWED_HOSTS": "127.0.0.1:*,localhost:*",
        "MONITOR_HTTP_RETRIES": "1",
        "MONITOR_RETRY_BACKOFF_SECONDS": "0.05",
        **extra,
    }


@pytest.fixture
def process_env(
    contract_service: ServiceProcess, notifications: HttpSink, redis_db: redis.Redis
) -> Callable[..., dict[str, str]]:
    def build(**extra: str) -> dict[str, str]:
        return monitor_env(contract_service.base_url or "", notifications.url, **extra)

    return build


@pytest.fixture
def monitor_api(
    process_env: Callable[..., dict[str, str]], tmp_path: Path
) -> Iterator[ServiceProcess]:
    """A real monitor-api (uvicorn) process."""
    process = uvicorn_process(
        "monitor-api", "compliance_monitor.main:app", env=process_env(), cwd=tmp_path
    )
    process.start()
    yield process
    process.stop()


def monitor_settings(contract_url: str, notification_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "ENVIRONMENT": "test",
        "MONITOR_REDIS_URL": REDIS_URL,
        "CONTRACT_SERVICE_URL": contract_url,
        "NOTIFICATION_SERVICE_URL": notification_url,
        "COMPLIANCE_ALLOWED_HOSTS": "127.0.0.1:*,localhost:*",
        "MONITOR_HTTP_RETRIES": 1,
        "MONITOR_RETRY_BACKOFF_SECONDS": 0.05,
        "MONITOR_HTTP_TIMEOUT_SECONDS": 10,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture
def settings(
    contract_service: ServiceProcess, notifications: HttpSink, redis_db: redis.Redis
) -> Settings:
    return monitor_settings(contract_service.base_url or "", notifications.url)


@pytest.fixture
def sweep(settings: Settings) -> Callable[..., Any]:
    """``await sweep(SweepKind.SCHEMA)`` runs one sweep in this process (a fresh monitor)."""

    async def run(kind: SweepKind, custom: Settings | None = None) -> dict[str, Any]:
        async def work(monitor: Monitor) -> dict[str, Any]:
            return await monitor.sweep(kind)

        return await with_monitor(custom or settings, work)

    return run


@pytest.fixture
def launch() -> Iterator[Callable[[ServiceProcess], ServiceProcess]]:
    """``launch(process)``: start it (once healthy, returned); stopped after the test."""
    started: list[ServiceProcess] = []

    def start(process: ServiceProcess) -> ServiceProcess:
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def start_template(
    shop_database: str, tmp_path: Path, launch: Callable[[ServiceProcess], ServiceProcess]
) -> Callable[..., ServiceProcess]:
    """``start_template(**env)``: start a template-data-service over this test's shop with
    extra settings (stopped after the test); ``{port}`` in a value is its port."""

    def start(**extra: str) -> ServiceProcess:
        port = free_port()
        env = {name: value.replace("{port}", str(port)) for name, value in extra.items()}
        return launch(
            data_service_process(
                shop_database, TEMPLATE_DIR / "contract.yaml", tmp_path, port=port, **env
            )
        )

    return start


@pytest.fixture
async def monitor(settings: Settings) -> AsyncIterator[Monitor]:
    """A monitor whose clients stay open for the whole test."""
    client = Redis.from_url(settings.redis_url)
    async with http_client(settings) as http:
        yield Monitor(settings, http, client)
    await client.aclose()
