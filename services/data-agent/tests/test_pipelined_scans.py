"""The scans of several tables sent together (PostgreSQL's pipeline mode) answer exactly what
one scan at a time answers: the same rows and types, the same errors, the same report; a
scan that fails or times out in the middle is that table's error, and the tables after it
are still measured."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from datapact_agent import agent as agent_module
from datapact_common.engines import postgres
from datapact_common.engines.base import EngineError, fetch_each
from datapact_common.engines.duckdb import DuckDBEngine
from datapact_common.engines.postgres import PostgresEngine

TYPED = (
    "SELECT 1::bigint AS n, 2.50::numeric AS d, 'x'::text AS t, NULL::int AS z, "
    "now() AS ts, current_date AS day, true AS b, %(p)s::text AS p"
)
FILM_EXPRESSION = {
    "name": "films_expression",
    "version": "1.0.0",
    "table": "film",
    "publisher": {"team": "t", "owner": "o"},
    "schema": [
        {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
        {"name": "title", "data_type": "string",
         "constraints": [{"type": "expression", "value": "title > 5"}]},
        {"name": "length_min", "data_type": "integer",
         "constraints": [{"type": "min", "value": 1}]},
    ],
}  # fmt: skip
SLOW = {
    "name": "slow",
    "version": "1.0.0",
    "table": "slow_view",
    "publisher": {"team": "t", "owner": "o"},
    "schema": [{"name": "id", "data_type": "integer", "nullable": False}],
}


@pytest.fixture
def engine(shop_url: str) -> Any:
    engine = PostgresEngine(shop_url, pool_size=2, timeout_seconds=0.5, app_name="test")
    yield engine
    engine.close()


def test_a_pipeline_answers_the_rows_and_types_one_statement_answers(engine: Any) -> None:
    statements = [(TYPED, {"p": str(i)}) for i in range(3)] + [
        ("SELECT id, email FROM customer ORDER BY id", {})
    ]
    with engine.session() as session:
        alone = [session.fetch(sql, params) for sql, params in statements]
        together = session.fetch_many(statements)
    assert len(together) == len(statements)
    for one, many in zip(alone, together, strict=True):
        assert isinstance(many, list)
        assert [[type(v) for v in row] for row in many] == [[type(v) for v in row] for row in one]
        assert [row[:4] + row[6:] for row in many] == [row[:4] + row[6:] for row in one]
    first = together[0][0]  # type: ignore[index]
    assert (type(first[1]), type(first[4])) == (Decimal, datetime)


def test_a_failed_statement_ends_the_answers_with_its_error(engine: Any) -> None:
    statements = [("SELECT 1", {}), ("SELECT 1/0", {}), ("SELECT 3", {})]
    with engine.session() as session:
        answers = session.fetch_many(statements)
        assert answers[0] == [(1,)]
        assert len(answers) == 2 and isinstance(answers[1], EngineError)
        assert "division by zero" in str(answers[1])
        assert not answers[1].timed_out and not answers[1].unavailable
        assert session.fetch("SELECT 3", {}) == [(3,)]  # the session is usable again
        timed = session.fetch_many([("SELECT 1", {}), ("SELECT pg_sleep(2)", {}), ("SELECT 3", {})])
        assert isinstance(timed[1], EngineError) and timed[1].timed_out and len(timed) == 2
        # the timeout is per statement: three under it, together over it, all answered
        slow = [("SELECT pg_sleep(0.3), 1", {})] * 3
        assert [a[0][1] for a in session.fetch_many(slow)] == [1, 1, 1]  # type: ignore[index]


def test_engines_without_pipelines_run_the_statements_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    duckdb.connect(str(path)).close()
    engine = DuckDBEngine(str(path), timeout_seconds=5)
    try:
        with engine.session() as session:
            answers = session.fetch_many([("SELECT 1", {}), ("SELECT 1/'a'", {}), ("SELECT 3", {})])
            assert answers[0] == [(1,)] and len(answers) == 2
            assert isinstance(answers[1], EngineError)
            assert fetch_each(session, [("SELECT 2", {})]) == [[(2,)]]
    finally:
        engine.close()


def _contracts_folder(tmp_path: Path, shop_contracts: Path) -> Path:
    """The shop's contracts, one whose scan fails and one that times out."""
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "shop.yaml").write_text(shop_contracts.read_text(encoding="utf-8"))
    (folder / "more.yaml").write_text(yaml.safe_dump_all([FILM_EXPRESSION, SLOW]))
    return folder


def _stable(document: dict[str, Any]) -> dict[str, Any]:
    for dataset in document["datasets"].values():
        dataset["seconds"] = 0
        dataset["freshness"]["seconds_since_update"] = None
        for check in dataset["checks"]:
            if check["rule"] == "freshness":
                check["measured"] = check["found"] = None
    document["generated_at"] = None
    return document


async def test_a_sweep_with_scans_together_reports_what_one_at_a_time_reports(
    agent_client: Any,
    shop_url: str,
    shop_contracts: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = {
        "database_url": shop_url,
        "contracts": _contracts_folder(tmp_path, shop_contracts),
        "concurrency": 1,  # every table in one session: one pipeline
        "query_timeout_seconds": 0.3,
    }
    sent: list[int] = []
    pipelined = postgres._PgSession.fetch_many

    def fetch_many(self: Any, statements: Any) -> Any:
        sent.append(len(statements))
        return pipelined(self, statements)

    monkeypatch.setattr(postgres._PgSession, "fetch_many", fetch_many)
    answers = []
    for per_session in (50, 1):
        monkeypatch.setattr(agent_module, "TABLES_PER_SESSION", per_session)
        async with agent_client(**settings) as client:
            response = await client.get("/metrics")
            assert response.status_code == 200
            answers.append(_stable(response.json()))
    together, alone = answers
    assert sent == [6]  # the six tables' scans in one pipeline, then none (one table a session)
    assert together == alone
    datasets = together["datasets"]
    slow = datasets["slow"]
    assert slow["errors"] == ["metrics query on table 'slow_view' failed: timed out"]
    assert slow["row_count"] is None
    checks = {c["id"]: c for c in datasets["films_expression"]["checks"]}
    assert "operator does not exist" in checks["title:expression:0"]["error"]
    assert checks["length_min:min"]["violations"] == 1
    assert all(d["row_count"] is not None for name, d in datasets.items() if name != "slow")


def test_a_pipelined_statement_is_sent_as_psycopg_sends_it(engine: Any) -> None:
    """Converted once (``_raw_query``), the text psycopg would make of it at every execute:
    a name used twice is one parameter, ``%%`` is ``%``; what it does not convert goes
    psycopg's way, its errors included."""
    raw = postgres._raw_query
    assert raw("SELECT %(a)s, %(b)s, %(a)s, 100%% FROM t") == (
        "SELECT $1, $2, $1, 100% FROM t",
        ("a", "b"),
    )
    assert raw("SELECT %s") is None and raw("SELECT %(a)b") is None and raw("SELECT 1") is None
    statement = "SELECT %(a)s::int + %(a)s::int AS twice, 7 %% 4 AS mod, %(b)s::text AS b"
    statements = [(statement, {"a": i, "b": f"x{i}", "unused": 1}) for i in range(3)]
    with engine.session() as session:
        alone = [session.fetch(sql, params) for sql, params in statements]
        assert session.fetch_many(statements) == alone == [[(2 * i, 3, f"x{i}")] for i in range(3)]
        missing = session.fetch_many([("SELECT 1", {}), ("SELECT %(nope)s", {"a": 1})])
        assert isinstance(missing[1], EngineError) and "nope" in str(missing[1])


async def test_the_agents_scans_convert_as_psycopg_converts_them(
    shop_url: str, shop_contracts: Path, tmp_path: Path
) -> None:
    from psycopg._queries import _query2pg_nocache  # psycopg's own conversion, to compare

    from datapact_agent.checks.plan import plan_tables
    from datapact_agent.checks.runner import TableMeasurer
    from datapact_agent.contracts.catalogue import read_catalogue

    catalogue = read_catalogue(_contracts_folder(tmp_path, shop_contracts), {})
    engine = PostgresEngine(shop_url, pool_size=1, timeout_seconds=5, app_name="test")
    try:
        plans = plan_tables(
            list(catalogue.contracts), catalogue.tables, engine.catalogue(catalogue.schemas())
        )
        measurer = TableMeasurer(engine, 5)
        scans = [measurer.rendered_scan(plan) for plan in plans if plan.info is not None]
        converted = 0
        for _, sql, params in scans:
            ours = postgres._raw_query(sql)
            if not params:
                continue
            assert ours is not None
            query, _, order, _ = _query2pg_nocache(sql.encode(), "utf-8")
            assert (ours[0].encode(), list(ours[1])) == (query, order)
            converted += 1
        assert converted >= 4
    finally:
        engine.close()
