"""The whole DataPact platform as real processes on free ports, for the end-to-end tests.

Everything is its own: databases ``e2e_*`` (recreated and migrated with Alembic at the start,
dropped at the end), Redis DB 15 (every service's broker and the monitor's state; each
service has its own queue), an SMTP sink (aiosmtpd, in this process), the loopback GitHub of
``datapact_testing.github_server``. Intervals (monitor sweeps, outbox relay, notification
sweep, dictionary sync) are set short, so a scenario runs in seconds.

Every process runs in its own process group; ``Stack.stop()`` ends them all, and their
group ids are written to ``$E2E_RUN_DIR/pids`` while they run, so ``scripts/e2e.sh`` can
end them even when pytest itself was killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
import redis

from datapact_common.tokens import Scope, Service, create_token, service_token
from datapact_common.yaml_io import load_yaml_documents
from datapact_testing.github_server import FakeGitHub
from datapact_testing.postgres import (
    alembic,
    async_url,
    create_database,
    drop_database,
    sync_dsn,
)
from datapact_testing.processes import ServiceProcess, free_port, uvicorn_process
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.smtp import HoldingSmtpSink

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ROOT / "services"
TEMPLATE_CONTRACT = SERVICES / "template-data-service" / "contract.yaml"
REDIS_URL = suite_redis_url(15)
SECRET = "e2e-secret-key-for-the-end-to-end-scenario-only"
WEBHOOK_SECRET = "e2e-github-webhook-secret"
DATABASES = {
    "contract-service": "e2e_contracts",
    "dictionary-service": "e2e_dictionary",
    "notification-service": "e2e_notifications",
    "template-data-service": "e2e_template_data",
}
# Settings of the services that a developer's shell may have exported: never inherited.
_SCRUBBED_PREFIXES = (
    "CONTRACT_", "NOTIFICATION_", "DICTIONARY_", "TEMPLATE_", "MONITOR_", "GITHUB_", "OUTBOX_",
    "COMPLIANCE_", "DATAPACT_", "SLACK_", "DATABASE_", "REDIS_", "DASHBOARD_",
)  # fmt: skip
_SCRUBBED_NAMES = {"ENVIRONMENT", "MAX_BODY_BYTES", "CORS_ORIGINS", "LOG_LEVEL"}

T = TypeVar("T")
# Lines the session prints at the end (figures of the load test), see conftest.py.
REPORT: list[str] = []


def scrub_environment() -> None:
    for name in list(os.environ):
        if name.startswith(_SCRUBBED_PREFIXES) or name in _SCRUBBED_NAMES:
            del os.environ[name]


# -- tokens ---------------------------------------------------------------------------------
def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def publisher_headers(team: str, sub: str = "alice") -> dict[str, str]:
    return bearer(create_token(SECRET, sub, teams=[team], scopes=[Scope.CONTRACTS_WRITE]))


def admin_headers() -> dict[str, str]:
    return bearer(create_token(SECRET, "e2e-admin", scopes=[Scope.ADMIN]))


def service_headers(caller: Service, api: Service) -> dict[str, str]:
    return bearer(service_token(SECRET, caller, api))


# -- polling --------------------------------------------------------------------------------
def eventually(
    condition: Callable[[], T | None],
    what: str,
    *,
    timeout: float = 60.0,
    interval: float = 0.2,
    logs: Callable[[], str] | None = None,
) -> T:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` and logs."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            result = condition()
            if result:
                return result
        except (httpx.HTTPError, psycopg.OperationalError) as exc:
            last_error = exc
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error})" if last_error else ""
            message = f"timed out after {timeout:.0f}s waiting for {what}{detail}"
            if logs is not None:
                message += "\n" + logs()
            raise AssertionError(message)
        time.sleep(interval)


# -- the stack ------------------------------------------------------------------------------
@dataclass
class Stack:
    run_dir: Path
    mailbox: HoldingSmtpSink
    github: FakeGitHub
    ports: dict[str, int]
    env: dict[str, str]
    processes: dict[str, ServiceProcess] = field(default_factory=dict)

    # URLs
    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def contract_url(self) -> str:
        return self.url("contract-api")

    @property
    def notification_url(self) -> str:
        return self.url("notification-api")

    @property
    def dictionary_url(self) -> str:
        return self.url("dictionary-api")

    @property
    def template_url(self) -> str:
        """The data agent serving the template's shop database (the Procfile's data-agent)."""
        return self.url("data-agent")

    @property
    def monitor_url(self) -> str:
        return self.url("monitor-api")

    # processes
    def _command(self, name: str) -> ServiceProcess:
        py = sys.executable
        cwd = self.run_dir / name
        cwd.mkdir(parents=True, exist_ok=True)
        apps = {
            "contract-api": "contract_service.main:app",
            "dictionary-api": "dictionary_service.main:app",
            "notification-api": "notification_service.main:app",
            "monitor-api": "compliance_monitor.main:app",
        }
        if name in apps:
            process = uvicorn_process(
                name, apps[name], env=self.env, port=self.ports[name], cwd=cwd
            )
            process.startup_timeout = 60.0
            return process
        if name == "data-agent":
            # as the Procfile runs it: the shop database under the template's contracts
            base = self.url(name)
            args = [
                py, "-m", "datapact_agent.cli", "serve",
                "--database-url", async_url(DATABASES["template-data-service"]),
                "--contracts", str(TEMPLATE_CONTRACT),
                "--host", "127.0.0.1", "--port", str(self.ports[name]),
            ]  # fmt: skip
            process = ServiceProcess(
                name, args, env=self.env, cwd=cwd, health_url=f"{base}/health", base_url=base
            )
            process.startup_timeout = 60.0
            return process
        workers = {
            "contract-worker": ("contract_service.worker.celery_app", "contracts", True),
            "notification-worker": ("notification_service.celery_app.celery_app",
                                    "notifications", False),
            "monitor-worker": ("compliance_monitor.celery_app.celery_app", "monitor", False),
        }  # fmt: skip
        if name in workers:
            app, queue, beat = workers[name]
            args = [
                py, "-m", "celery", "-A", app, "worker", "-Q", queue, "--loglevel=INFO",
                "--concurrency=1", "--without-gossip", "--without-mingle",
                "-n", f"e2e-{name}-{os.getpid()}@%h",
            ]  # fmt: skip
            if beat:
                args += ["-B", "-s", str(cwd / "beat-schedule")]
            return ServiceProcess(name, args, env=self.env, cwd=cwd)
        if name == "monitor-beat":
            args = [
                py, "-m", "celery", "-A", "compliance_monitor.celery_app.celery_app", "beat",
                "-s", str(cwd / "beat-schedule"), "--loglevel=INFO",
            ]  # fmt: skip
            return ServiceProcess(name, args, env=self.env, cwd=cwd)
        raise KeyError(name)

    def start(self, name: str) -> ServiceProcess:
        """Start (or start again, same port) one process and wait until it is ready."""
        process = self.processes.get(name)
        if process is None:
            process = self._command(name)
            self.processes[name] = process
        offset = process.log_path.stat().st_size if process.log_path.exists() else 0
        health_url, process.health_url = process.health_url, None
        try:
            process.start()
        finally:
            process.health_url = health_url
        self._write_pids()  # before waiting: a killed session must not orphan it
        if health_url is not None:
            process.wait_healthy()
        if name.endswith("-worker"):

            def ready() -> bool:
                with process.log_path.open("rb") as log:
                    log.seek(offset)
                    return b" ready." in log.read()

            eventually(
                ready,
                f"{name} to be ready",
                timeout=60,
                logs=process.logs,
            )
        return process

    def stop(self, name: str) -> None:
        self.processes[name].stop()
        self._write_pids()

    def kill(self, name: str) -> None:
        self.processes[name].kill()
        self._write_pids()

    def _write_pids(self) -> None:
        running = [str(p.process.pid) for p in self.processes.values() if p.running and p.process]
        (self.run_dir / "pids").write_text("\n".join(running) + ("\n" if running else ""))

    def shutdown(self) -> None:
        for process in reversed(list(self.processes.values())):
            with contextlib.suppress(Exception):
                process.stop(timeout=10)
        self._write_pids()

    def logs(self, *names: str) -> str:
        chosen = names or tuple(self.processes)
        return "\n".join(
            f"--- {n} ({self.processes[n].log_path}) ---\n{self.processes[n].logs()[-3000:]}"
            for n in chosen
            if n in self.processes
        )

    # HTTP
    def client(self, name: str, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url(name), timeout=30, **kwargs)

    def get_json(
        self, name: str, path: str, *, headers: dict[str, str] | None = None, **params: Any
    ) -> Any:
        response = httpx.get(f"{self.url(name)}{path}", params=params, headers=headers, timeout=30)
        response.raise_for_status()
        return response.json()

    # notification history
    def notifications(self, **params: Any) -> list[dict[str, Any]]:
        # An admin's view: recipients are masked for readers who may not see them.
        body = self.get_json(
            "notification-api",
            "/api/v1/notifications",
            headers=admin_headers(),
            limit=500,
            **params,
        )
        items: list[dict[str, Any]] = body["notifications"]
        return items

    def sent_to(self, address: str, event_type: str, contract: str) -> list[dict[str, Any]]:
        """Notifications of ``event_type`` about ``contract`` sent to ``address``."""
        return [
            n
            for n in self.notifications(recipient=address, type=event_type, contract=contract)
            if n["status"] == "sent" and n["channel"] == "email"
        ]

    def emails_of(self, notifications: list[dict[str, Any]]) -> list[EmailMessage]:
        """The messages in the sink carrying these notifications' Message-IDs."""
        ids = {f"<{n['id']}@datapact>" for n in notifications}
        return [m for m in self.mailbox.messages if m["Message-ID"] in ids]

    # databases
    def sql(self, service: str, statement: str, *args: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(sync_dsn(DATABASES[service]), autocommit=True) as conn:
            cursor = conn.execute(statement, args or None)
            return cursor.fetchall() if cursor.description else []

    def sql_transaction(self, service: str, *statements: str) -> None:
        with psycopg.connect(sync_dsn(DATABASES[service])) as conn, conn.transaction():
            for statement in statements:
                conn.execute(statement)


def template_contract(name: str, endpoint_url: str) -> dict[str, Any]:
    """One document of the template data service's contract.yaml, pointed at ``endpoint_url``."""
    for document in load_yaml_documents(TEMPLATE_CONTRACT.read_text()):
        if document["name"] == name:
            document["access"]["endpoint_url"] = endpoint_url
            result: dict[str, Any] = document
            return result
    raise KeyError(name)


def prepare_databases() -> None:
    """Recreate and migrate every e2e database (a previous run's leftovers are dropped)."""
    for service, database in DATABASES.items():
        create_database(database)
        alembic(SERVICES / service, async_url(database), "upgrade", "head")


def seed_template(rows: int = 500) -> None:
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "data_service.seed", "--rows", str(rows), "--no-acme",
         "--database-url", async_url(DATABASES["template-data-service"])],
        check=True, capture_output=True, env={**os.environ, "ENVIRONMENT": "test"},
    )  # fmt: skip


def drop_databases() -> None:
    for database in DATABASES.values():
        with contextlib.suppress(Exception):
            drop_database(database)


def flush_redis() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


PROCESS_ORDER = (
    "data-agent", "dictionary-api", "notification-api", "contract-api", "monitor-api",
    "notification-worker", "contract-worker", "monitor-worker", "monitor-beat",
)  # fmt: skip


def stack_env(
    ports: dict[str, int], mailbox: HoldingSmtpSink, github: FakeGitHub
) -> dict[str, str]:
    def url(name: str) -> str:
        return f"http://127.0.0.1:{ports[name]}"

    return {
        "ENVIRONMENT": "test",
        "DATAPACT_SECRET_KEY": SECRET,
        "LOG_LEVEL": "INFO",
        # databases and brokers
        "CONTRACT_DATABASE_URL": async_url(DATABASES["contract-service"]),
        "DICTIONARY_DATABASE_URL": async_url(DATABASES["dictionary-service"]),
        "NOTIFICATION_DATABASE_URL": async_url(DATABASES["notification-service"]),
        "TEMPLATE_DATABASE_URL": async_url(DATABASES["template-data-service"]),
        "CONTRACT_REDIS_URL": REDIS_URL,
        "NOTIFICATION_REDIS_URL": REDIS_URL,
        "MONITOR_REDIS_URL": REDIS_URL,
        # peers
        "CONTRACT_SERVICE_URL": url("contract-api"),
        "NOTIFICATION_SERVICE_URL": url("notification-api"),
        "DICTIONARY_SERVICE_URL": url("dictionary-api"),
        "NOTIFICATION_DASHBOARD_URL": "http://127.0.0.1:3000",
        # contract-service: outbox relay every second, short backoff
        "OUTBOX_RELAY_INTERVAL_SECONDS": "1",
        "OUTBOX_MAX_BACKOFF_SECONDS": "2",
        "OUTBOX_REQUEST_TIMEOUT_SECONDS": "3",
        # GitHub (the loopback fake, as an App)
        "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "GITHUB_API_URL": github.url,
        "GITHUB_APP_ID": github.app_id,
        "GITHUB_APP_PRIVATE_KEY": github.private_key_pem,
        "GITHUB_MAX_RETRY_WAIT_SECONDS": "5",
        # dictionary
        "DICTIONARY_SYNC_INTERVAL_SECONDS": "2",
        # the data agent: where the monitor reaches it (its credential's audience)
        "AGENT_ENDPOINT_URL": url("data-agent"),
        # notification-service
        "NOTIFICATION_SMTP_HOST": "127.0.0.1",
        "NOTIFICATION_SMTP_PORT": str(mailbox.port),
        "NOTIFICATION_SMTP_TIMEOUT_SECONDS": "5",
        "NOTIFICATION_CONTRACT_CACHE_SECONDS": "0",
        "NOTIFICATION_RETRY_BACKOFF_SECONDS": "0.5",
        "NOTIFICATION_RETRY_BACKOFF_MAX_SECONDS": "4",
        "NOTIFICATION_SEND_LEASE_SECONDS": "8",
        "NOTIFICATION_SWEEP_INTERVAL_SECONDS": "1",
        "NOTIFICATION_SWEEP_GRACE_SECONDS": "3",
        "NOTIFICATION_VISIBILITY_TIMEOUT_SECONDS": "60",
        "NOTIFICATION_WORKER_PREFETCH_MULTIPLIER": "1",
        # compliance monitor: sweeps every second or two instead of minutes
        "COMPLIANCE_ALLOWED_HOSTS": "127.0.0.1:*,localhost:*",
        "MONITOR_SCHEMA_INTERVAL_SECONDS": "1",
        "MONITOR_QUALITY_INTERVAL_SECONDS": "2",
        "MONITOR_AVAILABILITY_INTERVAL_SECONDS": "1",
        "MONITOR_HTTP_TIMEOUT_SECONDS": "5",
        "MONITOR_HTTP_RETRIES": "1",
        "MONITOR_RETRY_BACKOFF_SECONDS": "0.2",
        "MONITOR_SWEEP_TIME_LIMIT_SECONDS": "60",
    }


LOCK_PATH = Path(tempfile.gettempdir()) / "datapact-e2e.lock"


@contextlib.contextmanager
def exclusive_run(timeout: float = 1200.0) -> Iterator[None]:
    """One end-to-end session at a time on this machine: they share the e2e_* databases and
    Redis DB 15 (and its queue names). A second session waits for the first."""
    with LOCK_PATH.open("a") as handle:
        deadline = time.monotonic() + timeout
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced:
                    print(f"e2e: another session holds {LOCK_PATH}; waiting", file=sys.stderr)
                    announced = True
                if time.monotonic() >= deadline:
                    raise RuntimeError(f"{LOCK_PATH} still held after {timeout:.0f}s") from None
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def running_stack() -> Iterator[Stack]:
    """Start everything; always stop everything (and drop the databases) afterwards."""
    with exclusive_run(), _running_stack() as stack:
        yield stack


@contextlib.contextmanager
def _running_stack() -> Iterator[Stack]:
    scrub_environment()
    run_dir = Path(os.environ.get("E2E_RUN_DIR") or tempfile.mkdtemp(prefix="datapact-e2e-"))
    run_dir.mkdir(parents=True, exist_ok=True)
    keep = os.environ.get("E2E_KEEP_DATABASES") == "1"
    mailbox = HoldingSmtpSink()
    github = FakeGitHub()
    ports = {
        name: free_port() for name in PROCESS_ORDER if name.endswith("-api") or name == "data-agent"
    }
    stack = Stack(run_dir, mailbox, github, ports, stack_env(ports, mailbox, github))
    try:
        flush_redis()
        prepare_databases()
        seed_template()
        mailbox.start()
        github.start()
        for name in PROCESS_ORDER:
            stack.start(name)
        yield stack
    finally:
        stack.shutdown()
        with contextlib.suppress(Exception):
            mailbox.stop()
        with contextlib.suppress(Exception):
            github.stop()
        with contextlib.suppress(Exception):
            flush_redis()
        if not keep:
            drop_databases()
