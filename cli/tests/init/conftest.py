"""Fixtures of `datapact init`: real databases holding a schema it has never seen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from datapact_common.yaml_io import load_yaml_documents
from datapact_testing import mariadb
from datapact_testing import postgres as pg

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def library_url() -> Iterator[str]:
    """The library schema on PostgreSQL (tests only read it)."""
    name = pg.test_database_name("test_cli_init")
    pg.create_database(name)
    with psycopg.connect(pg.sync_dsn(name), autocommit=True) as connection:
        connection.execute((FIXTURES / "postgres_schema.sql").read_text(encoding="utf-8").encode())
    yield pg.sync_dsn(name)
    pg.drop_database(name)


@pytest.fixture(scope="session")
def library_mariadb_url() -> Iterator[str]:
    """The library schema on MariaDB (tests only read it)."""
    url = mariadb.create_database("test_cli_init", FIXTURES / "mariadb_schema.sql")
    yield url
    mariadb.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture(scope="session")
def library_duckdb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The library schema in a DuckDB file."""
    import duckdb

    path = tmp_path_factory.mktemp("duckdb") / "library.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute((FIXTURES / "duckdb_schema.sql").read_text(encoding="utf-8"))
    return f"duckdb://{path}"


def read_document(path: Path) -> dict[str, Any]:
    documents = load_yaml_documents(path.read_text(encoding="utf-8"))
    document: dict[str, Any] = documents[0]
    return document


@pytest.fixture(scope="session")
def document() -> Any:
    """``document(path)``: a written contract file as its document."""
    return read_document


async def served_by_the_agent(database_url: str, folder: Path) -> tuple[dict[str, Any], ...]:
    """The data agent serving ``database_url`` with the contracts of ``folder``: (/metrics,
    /schema)."""
    import httpx

    from datapact_agent.config import Settings
    from datapact_agent.main import create_app

    app = create_app(Settings(environment="test", database_url=database_url, contracts=str(folder)))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://agent") as client:
            metrics = (await client.get("/metrics")).json()
            schema = (await client.get("/schema")).json()
    finally:
        app.state.agent.close()
    return metrics, schema


def assert_every_promise_kept(
    metrics: dict[str, Any], schema: dict[str, Any], folder: Path, left_out: dict[str, list[str]]
) -> int:
    """Every check of every drafted contract counted with no violation, and the monitor's
    schema check passing (warning only about the columns ``left_out`` names); the number of
    checks."""
    from compliance_monitor.checks.schema_validator import check_schema
    from datapact_common.checks import CheckStatus
    from datapact_common.documents import load_contracts

    contracts = [c for p in sorted(folder.iterdir()) for c in load_contracts(p.read_text("utf-8"))]
    assert sorted(metrics["datasets"]) == sorted(c.name for c in contracts)
    counted = 0
    for name, dataset in metrics["datasets"].items():
        assert dataset["errors"] == [], name
        for check in dataset["checks"]:
            # every condition the agent evaluates has its verdict (`passed`); a value rule
            # also counts the rows that break it
            assert (check.get("passed"), check["error"], check["skipped"]) == (True, None, None), (
                name,
                check,
            )
            assert check["violations"] in (0, None), (name, check)
            counted += 1
    tables = {c.name: c.effective_table for c in contracts}
    for contract in contracts:
        result = check_schema(contract, schema, tables)
        expected = [
            f"column '{column}' of table '{contract.effective_table}' is not documented in the "
            "contract"
            for column in left_out.get(contract.name, [])
        ]
        assert sorted(result.details.get("warnings", [])) == expected, contract.name
        status = CheckStatus.WARNING if expected else CheckStatus.PASS
        assert result.status is status, (contract.name, result.summary)
    assert_reported_compliant(metrics, contracts)
    return counted


def assert_reported_compliant(metrics: dict[str, Any], contracts: list[Any]) -> None:
    """The compliance monitor's own verdicts on the agent's /metrics, check by check as its
    sweep makes them: every one passes. (A value rule the agent did not report, or could
    not count, is an error there, not a silent gap; a NOT NULL field unmeasured too.)"""
    from compliance_monitor.checks.completeness_checker import check_completeness
    from compliance_monitor.checks.freshness_checker import check_freshness
    from compliance_monitor.checks.quality_common import dataset_metrics
    from compliance_monitor.checks.rules_checker import check_rules, protocol_of, value_rules
    from compliance_monitor.checks.uniqueness_checker import check_uniqueness, unique_keys
    from compliance_monitor.checks.volume_checker import check_volume
    from datapact_common.checks import CheckStatus

    protocol = protocol_of(metrics)
    for contract in contracts:
        dataset = dataset_metrics(metrics, contract)
        assert dataset is not None, f"the agent publishes no dataset {contract.name}"
        checks = (check_freshness, check_completeness, check_uniqueness, check_volume)
        verdicts = [check(contract, dataset) for check in checks]
        results = [v for v in verdicts if v is not None]
        results += check_rules(contract, dataset, protocol)
        for result in results:
            assert result.status is CheckStatus.PASS, (
                contract.name,
                result.state_key,
                result.summary,
            )
        kinds = {r.check_type.value for r in results}
        if any(not f.nullable for f in contract.schema_fields):
            assert "completeness" in kinds, contract.name
        if unique_keys(contract):
            assert "uniqueness" in kinds, contract.name
        assert len([r for r in results if r.check_type.value == "validity"]) == len(
            value_rules(contract)
        ) or any(c.get("skipped") for c in dataset.get("checks", [])), contract.name


@pytest.fixture(scope="session")
def agent_round_trip() -> Any:
    """``await agent_round_trip(url, folder, left_out)``: serve, then assert every promise
    kept; returns the number of checks counted."""

    async def run(url: str, folder: Path, left_out: dict[str, list[str]]) -> int:
        metrics, schema = await served_by_the_agent(url, folder)
        return assert_every_promise_kept(metrics, schema, folder, left_out)

    return run
