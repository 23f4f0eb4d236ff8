"""The per-request session against real PostgreSQL: commit, rollback, after-commit hooks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import String, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from datapact_common.db import (
    after_commit,
    make_engine,
    make_metadata,
    make_sessionmaker,
    session_dependency,
    sync_url,
)
from datapact_common.exceptions import ConflictError
from datapact_common.web import install_error_handlers
from datapact_testing import postgres as pg


class Base(DeclarativeBase):
    metadata = make_metadata()


_current: dict[str, async_sessionmaker[AsyncSession]] = {}
SessionDep = Annotated[
    AsyncSession, Depends(session_dependency(lambda: _current["sessionmaker"]), scope="function")
]


class Row(Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    name = pg.test_database_name("test_common_db")
    pg.create_database(name)
    yield pg.async_url(name)
    pg.drop_database(name)


@pytest.fixture
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database, pool_size=2, max_overflow=0)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS deferred"))
        await conn.run_sync(Base.metadata.create_all)
        # A unique constraint checked only at COMMIT, to make a commit fail on purpose.
        await conn.execute(
            text(
                "CREATE TABLE deferred (name text, "
                "CONSTRAINT uq_deferred UNIQUE (name) DEFERRABLE INITIALLY DEFERRED)"
            )
        )
    yield engine
    await engine.dispose()


async def _names(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return list((await conn.scalars(select(Row.name).order_by(Row.id))).all())


def _app(engine: AsyncEngine, log: list[str]) -> FastAPI:
    _current["sessionmaker"] = make_sessionmaker(engine)
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/rows/{name}")
    async def add(name: str, session: SessionDep) -> dict[str, str]:
        session.add(Row(name=name))
        await session.flush()

        async def visible_after_commit() -> None:
            log.append(f"async:{name}:{name in await _names(engine)}")

        after_commit(session, visible_after_commit)
        after_commit(session, lambda: log.append(f"sync:{name}"))
        if name == "conflict":
            raise ConflictError("refused after flushing")
        return {"added": name}

    @app.post("/hooks/failing")
    async def failing(session: SessionDep) -> dict[str, str]:
        session.add(Row(name="kept"))

        def broken() -> None:
            raise RuntimeError("hook exploded")

        after_commit(session, broken)
        after_commit(session, lambda: log.append("later hook ran"))
        return {"ok": "yes"}

    @app.post("/deferred/{name}")
    async def deferred(name: str, session: SessionDep) -> dict[str, str]:
        await session.execute(text("INSERT INTO deferred VALUES (:n), (:n)"), {"n": name})
        after_commit(session, lambda: log.append("must not run"))
        return {"answered": "200"}

    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_success_commits_then_runs_hooks(engine: AsyncEngine) -> None:
    log: list[str] = []
    async with _client(_app(engine, log)) as client:
        response = await client.post("/rows/alpha")
    assert response.status_code == 200
    assert await _names(engine) == ["alpha"]
    # The async hook looked from another connection: the row was already committed.
    assert log == ["async:alpha:True", "sync:alpha"]


async def test_domain_error_rolls_back_and_skips_hooks(engine: AsyncEngine) -> None:
    log: list[str] = []
    async with _client(_app(engine, log)) as client:
        response = await client.post("/rows/conflict")
    assert response.status_code == 409
    assert response.json() == {"detail": "refused after flushing"}
    assert await _names(engine) == []
    assert log == []


async def test_a_failing_hook_does_not_fail_the_request(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    log: list[str] = []
    async with _client(_app(engine, log)) as client:
        response = await client.post("/hooks/failing")
    assert response.status_code == 200
    assert await _names(engine) == ["kept"]
    assert log == ["later hook ran"]
    assert "after-commit hook failed" in caplog.text


async def test_a_failed_commit_never_answers_200(engine: AsyncEngine) -> None:
    log: list[str] = []
    async with _client(_app(engine, log)) as client:
        response = await client.post("/deferred/twice")
    # The unique violation (SQLSTATE 23505) surfaces at COMMIT: a 409, as the error contract
    # maps every integrity error, never the 200 of a route that had already returned.
    assert response.status_code == 409
    assert response.json() == {
        "detail": "conflicting concurrent change; fetch the resource and retry"
    }
    assert log == []
    async with engine.connect() as conn:
        assert (await conn.scalar(text("SELECT count(*) FROM deferred"))) == 0


async def test_requests_are_independent(engine: AsyncEngine) -> None:
    log: list[str] = []
    async with _client(_app(engine, log)) as client:
        assert (await client.post("/rows/one")).status_code == 200
        assert (await client.post("/rows/conflict")).status_code == 409
        assert (await client.post("/rows/two")).status_code == 200
    assert await _names(engine) == ["one", "two"]


def test_constraint_names_are_stable() -> None:
    assert Row.__table__.primary_key.name == "pk_rows"


def test_sync_url() -> None:
    assert sync_url("postgresql+asyncpg://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
