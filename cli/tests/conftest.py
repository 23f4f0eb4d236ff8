"""Fixtures: the CLI runner, contract files, and a real contract-service for online tests."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from click.testing import Result
from typer.testing import CliRunner

from datapact_cli.main import app
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.yaml_io import dump_yaml
from datapact_testing import postgres as pg
from datapact_testing.processes import ServiceProcess, uvicorn_process
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.tokens import admin_token, bearer, publisher_token

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
# Redis DB 14 is free in docs/conventions.md; the registry only queues outbox relay kicks there.
REDIS_URL = suite_redis_url(14)

ORDERS: dict[str, Any] = {
    "name": "orders",
    "version": "1.0.0",
    "description": "Orders placed in the web shop",
    "publisher": {"team": "checkout", "owner": "alice"},
    "schema": [
        {"name": "order_id", "data_type": "uuid", "nullable": False, "is_primary_key": True},
        {"name": "email", "data_type": "string", "is_pii": True, "description": "Contact"},
        {
            "name": "amount",
            "data_type": "decimal",
            "nullable": False,
            "constraints": [{"type": "min", "value": 0}],
        },
    ],
    "quality": [{"metric_type": "freshness", "threshold": "15 minutes"}],
    "tags": ["sales"],
}


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test runs in an empty folder without the developer's DataPact variables."""
    for name in ("DATAPACT_URL", "DATAPACT_TOKEN", "DATAPACT_SECRET_KEY", "DATAPACT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli() -> Callable[..., Result]:
    """``cli("diff", "a.yaml", "b.yaml")`` runs ``datapact`` in-process."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


@pytest.fixture
def orders_doc() -> dict[str, Any]:
    return copy.deepcopy(ORDERS)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write("a.yaml", doc1, doc2)`` writes a YAML stream; a str is written as is."""

    def put(name: str, *documents: Any) -> Path:
        path = tmp_path / name
        if len(documents) == 1 and isinstance(documents[0], str):
            path.write_text(documents[0], encoding="utf-8")
        else:
            path.write_text("---\n".join(dump_yaml(d) for d in documents), encoding="utf-8")
        return path

    return put


@pytest.fixture
def fixture_file() -> Callable[[str], Path]:
    return lambda name: FIXTURES / name


# -- a real registry -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def registry_database() -> Iterator[str]:
    url = pg.migrated_database(REPO / "services" / "contract-service", "test_cli")
    yield url
    pg.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture(scope="session")
def registry_process(registry_database: str) -> Iterator[ServiceProcess]:
    env = {
        "ENVIRONMENT": "test",
        "CONTRACT_DATABASE_URL": registry_database,
        "DATABASE_URL": registry_database,
        "CONTRACT_REDIS_URL": REDIS_URL,
        "DATAPACT_SECRET_KEY": DEVELOPMENT_SECRET,
        "DATAPACT_READS_REQUIRE_AUTH": "false",
        "DICTIONARY_NUDGE_ENABLED": "false",
    }
    process = uvicorn_process(
        "contract-api",
        "contract_service.main:app",
        env=env,
        cwd=REPO / "services" / "contract-service",
    )
    process.start()
    yield process
    process.stop()
    redis.Redis.from_url(REDIS_URL).flushdb()


class Registry:
    """The running contract-service, with direct API access to arrange and check state."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.admin = bearer(admin_token())

    def get(self, name: str) -> httpx.Response:
        return httpx.get(f"{self.url}/api/v1/contracts/name/{name}", timeout=10)

    def document(self, name: str) -> dict[str, Any]:
        response = self.get(name)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def create(self, document: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/api/v1/contracts", json=document, headers=self.admin, timeout=10
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def subscribe(self, contract_id: str, subscriber: dict[str, Any]) -> None:
        response = httpx.post(
            f"{self.url}/api/v1/contracts/{contract_id}/subscribers",
            json=subscriber,
            headers=self.admin,
            timeout=10,
        )
        assert response.status_code in (200, 201), response.text


@pytest.fixture
def registry(registry_process: ServiceProcess, registry_database: str) -> Registry:
    """An empty registry for this test."""
    pg.truncate_all(registry_database.rsplit("/", 1)[1])
    assert registry_process.base_url is not None
    return Registry(registry_process.base_url)


@pytest.fixture
def checkout_token() -> str:
    return publisher_token("checkout")


@pytest.fixture
def online(
    cli: Callable[..., Result], registry: Registry, checkout_token: str
) -> Callable[..., Result]:
    """Run ``datapact`` against the test registry with a checkout publisher's token."""

    def run(*args: str, token: str | None = checkout_token) -> Result:
        env = {"DATAPACT_URL": registry.url}
        if token is not None:
            env["DATAPACT_TOKEN"] = token
        return cli(*args, env=env)

    return run
