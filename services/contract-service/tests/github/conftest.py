"""Fixtures of the GitHub integration tests: a loopback GitHub (``FakeGitHub``), real webhook
bodies with our own repository/numbers/shas, signatures, contract documents.

The integration's settings come from the environment, fixed here before anything reads them:
the App id and private key of the fake GitHub, its URL, and a webhook secret.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from contract_service.github.auth import clear_token_cache
from datapact_common.yaml_io import dump_yaml, dump_yaml_documents
from datapact_testing import github_webhooks
from datapact_testing.github_server import FakeGitHub
from datapact_testing.github_webhooks import load_webhook, pull_request_body, push_body

WEBHOOK_SECRET = "It's a Secret to Everybody"
CHECK_NAME = "DataPact Contract Check"

FAKE_GITHUB = FakeGitHub()
GITHUB_ENV = {
    "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "GITHUB_API_URL": FAKE_GITHUB.url,
    "GITHUB_APP_ID": FAKE_GITHUB.app_id,
    "GITHUB_APP_PRIVATE_KEY": FAKE_GITHUB.private_key_pem,
    "GITHUB_TOKEN": "",
    "GITHUB_MAX_RETRY_WAIT_SECONDS": "5",
}
os.environ.update(GITHUB_ENV)


@pytest.fixture(scope="session")
def fake_github_server() -> Iterator[FakeGitHub]:
    FAKE_GITHUB.start()
    yield FAKE_GITHUB
    FAKE_GITHUB.stop()


@pytest.fixture
def gh(fake_github_server: FakeGitHub) -> FakeGitHub:
    """The loopback GitHub, emptied for this test."""
    fake_github_server.reset()
    clear_token_cache()
    return fake_github_server


def signed_headers(
    body: bytes, event: str, delivery: str, *, secret: str = WEBHOOK_SECRET
) -> dict[str, str]:
    return github_webhooks.signed_headers(body, event, delivery, secret=secret)


Deliver = Callable[..., Any]


@pytest.fixture
async def webhook(client: httpx.AsyncClient) -> AsyncIterator[Deliver]:
    """POST a signed delivery to the app: ``await webhook("pull_request", body, "id-1")``."""

    async def deliver(event: str, payload: dict[str, Any], delivery: str) -> httpx.Response:
        body = json.dumps(payload).encode()
        return await client.post(
            "/api/v1/webhooks/github", content=body, headers=signed_headers(body, event, delivery)
        )

    yield deliver


# -- contracts ----------------------------------------------------------------------------
def orders_contract(version: str = "1.0.0", **changes: Any) -> dict[str, Any]:
    """The orders contract of the test repository (table ``orders``), with two subscribers."""
    document: dict[str, Any] = {
        "name": "orders",
        "version": version,
        "description": "Orders placed in the web shop",
        "table": "orders",
        "publisher": {"team": "commerce", "owner": "orders-service"},
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True,
             "description": "Order number"},
            {"name": "customer_email", "data_type": "string", "nullable": False,
             "is_pii": True, "description": "Who ordered"},
            {"name": "total", "data_type": "decimal", "nullable": False,
             "description": "Order total"},
            {"name": "notes", "data_type": "string", "description": "Free text"},
            {"name": "placed_at", "data_type": "timestamp", "nullable": False,
             "description": "When the order was placed"},
        ],
        "quality": [{"metric_type": "freshness", "threshold": "15 minutes"}],
        "subscribers": [
            {"team": "analytics", "use_case": "revenue dashboards",
             "fields_used": ["id", "total", "placed_at"]},
            {"team": "support", "use_case": "order lookups",
             "fields_used": ["id", "customer_email", "notes"]},
        ],
    }  # fmt: skip
    document.update(changes)
    return document


def without_field(document: dict[str, Any], name: str) -> dict[str, Any]:
    result = copy.deepcopy(document)
    result["schema"] = [f for f in result["schema"] if f["name"] != name]
    for sub in result.get("subscribers", []):
        sub["fields_used"] = [f for f in sub["fields_used"] if f != name]
    return result


def with_field(document: dict[str, Any], field: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(document)
    result["schema"].append(field)
    return result


def yaml_of(*documents: dict[str, Any]) -> str:
    return dump_yaml(documents[0]) if len(documents) == 1 else dump_yaml_documents(list(documents))


ORDERS_SCHEMA_SQL = """CREATE TABLE orders (
    id BIGINT PRIMARY KEY,
    customer_email VARCHAR(255) NOT NULL,
    total NUMERIC(12, 2) NOT NULL,
    notes TEXT,
    placed_at TIMESTAMPTZ NOT NULL
);
"""

MIGRATION_HEADER = '''"""{message}

Revision ID: {revision}
Revises: {down}
Create Date: 2024-06-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
'''


def migration(revision: str, body: str, *, message: str = "change orders", down: str = "a1") -> str:
    """An Alembic revision file whose ``upgrade()`` is ``body`` (indented 4 spaces)."""
    header = MIGRATION_HEADER.format(message=message, revision=revision, down=down)
    lines = "".join(f"    {line}\n" if line else "\n" for line in body.strip("\n").split("\n"))
    return header + lines + "\n\ndef downgrade() -> None:\n    pass\n"


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


class Kit:
    """The helpers above, for test modules (which cannot import conftest): the ``kit`` fixture."""

    migration = staticmethod(migration)
    line_of = staticmethod(line_of)
    orders_contract = staticmethod(orders_contract)
    with_field = staticmethod(with_field)
    without_field = staticmethod(without_field)
    yaml_of = staticmethod(yaml_of)
    pull_request_body = staticmethod(pull_request_body)
    push_body = staticmethod(push_body)
    signed_headers = staticmethod(signed_headers)
    load_webhook = staticmethod(load_webhook)
    ORDERS_SCHEMA_SQL = ORDERS_SCHEMA_SQL
    CHECK_NAME = CHECK_NAME
    WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def kit() -> type[Kit]:
    return Kit


class Queue:
    """Deliveries the API queued (row ids, in order); ``drain()`` processes them in-process
    exactly as the contract-worker's task does (``tasks.process``)."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    async def drain(self) -> list[Any]:
        from contract_service.github.tasks import process

        outcomes = []
        while self.ids:
            row_id = self.ids.pop(0)
            outcomes.append(await process(uuid.UUID(row_id)))
        return outcomes


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch, flush_test_redis: None) -> Queue:
    """Capture the task the API queues after commit, instead of sending it to a broker."""
    from contract_service.github import service

    captured = Queue()
    monkeypatch.setattr(service, "send_process_task", captured.ids.append)
    return captured
