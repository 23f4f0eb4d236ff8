"""Fixtures: real databases holding planted violations, and the agent in-process over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from datapact_agent.config import Settings
from datapact_agent.main import create_app
from datapact_testing.postgres import (
    create_database,
    drop_database,
    sync_dsn,
    test_database_name,
)

FIXTURES = Path(__file__).parent / "fixtures"
SHOP_CONTRACTS = FIXTURES / "shop_contracts.yaml"

AgentClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def load_sql(database: str, path: Path) -> None:
    with psycopg.connect(sync_dsn(database), autocommit=True) as conn:
        conn.execute(path.read_text(encoding="utf-8").encode())


@pytest.fixture(scope="session")
def shop_database() -> Iterator[str]:
    """The rental shop with its planted violations (tests only read it)."""
    name = test_database_name("test_agent_shop")
    create_database(name)
    load_sql(name, FIXTURES / "postgres_shop.sql")
    yield name
    drop_database(name)


ScratchDatabase = Callable[..., str]


@pytest.fixture
def scratch_database() -> Iterator[ScratchDatabase]:
    """``scratch_database(prefix, *statements)``: a new database holding what the statements
    make, dropped after the test."""
    made: list[str] = []

    def make(prefix: str, *statements: str) -> str:
        name = test_database_name(prefix)
        create_database(name)
        made.append(name)
        with psycopg.connect(sync_dsn(name), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.encode())
        return name

    yield make
    for name in made:
        drop_database(name)


@pytest.fixture(scope="session")
def shop_url(shop_database: str) -> str:
    return sync_dsn(shop_database)


@pytest.fixture
def agent_client() -> AgentClient:
    """``async with agent_client(database_url=..., contracts=...) as client``."""

    @asynccontextmanager
    async def start(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings.setdefault("environment", "test")
        app = create_app(Settings(**settings))
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://agent") as client:
                yield client
        finally:
            app.state.agent.close()

    return start


@pytest.fixture(scope="session")
def shop_contracts() -> Path:
    return SHOP_CONTRACTS


# (dataset, check id, violations, sample keys): every violation planted in the shop, the
# same in each engine's copy of it.
PLANTED = [
    ("customers", "email:regex", 1, [{"id": 5}]),
    ("customers", "name:max_length", 1, [{"id": 6}]),
    ("customers", "active:enum", 1, [{"id": 4}]),
    ("films", "rating:enum", 1, [{"id": 2}]),
    ("films", "sku:unique", 1, [{"id": 1}, {"id": 2}]),
    ("films", "length_min:min", 1, [{"id": 3}]),
    ("films", "price:min", 1, [{"id": 4}]),
    ("films", "price:expression:0", 1, [{"id": 4}]),
    ("payments", "amount:min", 1, [{"id": 2, "paid_on": "2025-03-01"}]),
    ("rentals", "customer_id:foreign_key", 1, [{"id": 2, "rented_on": "2025-05-01"}]),
]


def assert_planted_violations_found(
    metrics: dict[str, Any], type_mismatches: frozenset[tuple[str, str]] = frozenset()
) -> None:
    """Each planted violation counted, with its primary key as the only sample; every other
    promise of the shop kept (zero), nothing unmeasured. ``type_mismatches``: the shop's
    (PostgreSQL) types another engine cannot hold, which the type check must report."""
    planted = {(dataset, check) for dataset, check, _, _ in PLANTED}
    for dataset, check in type_mismatches:
        found = {c["id"]: c for c in metrics["datasets"][dataset]["checks"]}[check]
        assert (found["passed"], found["error"]) == (False, None), (dataset, found)
    planted |= type_mismatches
    for dataset, check, violations, samples in PLANTED:
        found = {c["id"]: c for c in metrics["datasets"][dataset]["checks"]}[check]
        assert (found["violations"], found["error"]) == (violations, None), (dataset, found)
        assert sorted(found["samples"], key=str) == sorted(samples, key=str), (dataset, found)
    for name, dataset in metrics["datasets"].items():
        for check in dataset["checks"]:
            if (name, check["id"]) not in planted:
                assert_kept(check, name)


# Checks judged by a verdict of their own rather than by a count of breaking rows.
JUDGED = {"present", "type", "completeness", "freshness", "row_count", "quality"}


def assert_kept(check: dict[str, Any], where: str = "") -> None:
    """A promise kept: no breaking row (value rules) or a passing verdict (the others)."""
    if check["rule"] in JUDGED:
        assert (check["passed"], check["error"]) == (True, None), (where, check)
    else:
        assert (check["violations"], check["error"], check["passed"]) == (0, None, True), (
            where,
            check,
        )


@pytest.fixture(scope="session")
def kept() -> Callable[..., None]:
    return assert_kept


@pytest.fixture(scope="session")
def check_planted() -> Callable[..., None]:
    return assert_planted_violations_found
