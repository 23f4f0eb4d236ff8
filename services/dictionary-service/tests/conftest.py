"""Fixtures: a migrated dictionary database, the app in-process, contract documents."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from datapact_common.documents import load_contracts
from datapact_testing.postgres import drop_database, migrated_database, rollback_session

SERVICE_DIR = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MERMAID_CHECKER = Path(__file__).resolve().parent / "mermaid-check"

# The in-process app reads its settings from the environment; nothing here may reach a
# real dictionary database or contract-service by accident.
os.environ.pop("DICTIONARY_DATABASE_URL", None)
os.environ["ENVIRONMENT"] = "test"
os.environ["DICTIONARY_SYNC_ENABLED"] = "false"
os.environ["CONTRACT_SERVICE_URL"] = "http://127.0.0.1:9"  # discard port: never answers

Document = dict[str, Any]
Loader = Callable[..., Awaitable[None]]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = migrated_database(SERVICE_DIR, "test_dictionary")
    os.environ["DATABASE_URL"] = url
    yield url
    drop_database(url.rsplit("/", 1)[1])


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    from dictionary_service.database import create_engine

    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with rollback_session(engine) as session:
        yield session


@pytest.fixture
async def client(session: AsyncSession, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process; every request uses the test's rolled-back session."""
    from dictionary_service.database import get_read_session, get_session
    from dictionary_service.main import app

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    app.dependency_overrides[get_read_session] = test_session
    if not hasattr(app.state, "sync_runner"):  # the lifespan does not run in-process
        from dictionary_service.config import get_settings
        from dictionary_service.database import get_engine, get_sessionmaker
        from dictionary_service.sync.runner import SyncRunner
        from dictionary_service.sync.setup import make_synchronizer

        synchronizer = make_synchronizer(get_settings(), get_engine(), get_sessionmaker())
        app.state.sync_runner = SyncRunner(synchronizer, interval=None)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dictionary") as http:
        yield http
    app.dependency_overrides.clear()


class Registry:
    """Contract documents as the contract-service serves them (id, timestamps added)."""

    def __init__(self) -> None:
        self.clock = datetime(2026, 1, 1, tzinfo=UTC)
        self.ids: dict[str, uuid.UUID] = {}

    def document(self, contract: dict[str, Any], *, updated_at: datetime | None = None) -> Document:
        name = contract["name"]
        contract_id = self.ids.setdefault(name, uuid.uuid4())
        self.clock += timedelta(seconds=1)
        stamp = updated_at or self.clock
        return {
            "id": str(contract_id),
            "created_at": stamp.isoformat(),
            "updated_at": stamp.isoformat(),
            **contract,
        }


def contract(
    name: str,
    fields: list[dict[str, Any]],
    *,
    team: str = "core",
    version: str = "1.0.0",
    description: str | None = None,
    tags: list[str] | None = None,
    status: str = "active",
    subscribers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "version": version,
        "description": description,
        "status": status,
        "publisher": {"team": team, "owner": f"{team}-owner"},
        "schema": fields,
        "tags": tags or [],
        "subscribers": subscribers or [],
    }


def field(name: str, data_type: str = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "data_type": data_type, **extra}


@pytest.fixture
def registry() -> Registry:
    return Registry()


@pytest.fixture
def acme_contracts() -> list[dict[str, Any]]:
    """The 13 example contracts of Acme Retail (vendored)."""
    contracts = []
    for path in sorted((FIXTURES / "acme").glob("*.yaml")):
        contracts += [c.to_document() for c in load_contracts(path.read_text())]
    return contracts


@pytest.fixture
def load(session: AsyncSession, registry: Registry) -> Loader:
    """``await load(contract, ...)``: apply contracts to the read model like the sync does."""
    from dictionary_service.sync.apply import apply_snapshots
    from dictionary_service.sync.documents import snapshot_from_document

    async def _load(*contracts: dict[str, Any]) -> None:
        snapshots = [snapshot_from_document(registry.document(c)) for c in contracts]
        await apply_snapshots(session, snapshots)

    return _load


@pytest.fixture
def helpers() -> Any:
    """The document builders, for tests (test modules cannot import each other)."""

    class Helpers:
        contract = staticmethod(contract)
        field = staticmethod(field)

    return Helpers


@pytest.fixture(scope="session")
def parse_mermaid() -> Callable[[list[str]], list[dict[str, Any]]]:
    """Parses diagrams with the REAL mermaid parser (npm ``mermaid`` in Node):
    tests/mermaid-check/ holds its own package.json + package-lock.json, installed with
    ``npm ci`` when node_modules is missing. Each result is ``{"ok", "diagramType"}``, plus
    ``config`` when the text set any configuration (a directive, front matter)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("Node.js and npm are needed to check Mermaid output with the real parser")
    if not (MERMAID_CHECKER / "node_modules" / "mermaid").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=MERMAID_CHECKER,
            check=True,
            capture_output=True,
        )

    def parse(diagrams: list[str]) -> list[dict[str, Any]]:
        done = subprocess.run(
            [node, "check.mjs"],
            cwd=MERMAID_CHECKER,
            input=json.dumps(diagrams),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.stdout, done.stderr
        results: list[dict[str, Any]] = json.loads(done.stdout)
        return results

    return parse
