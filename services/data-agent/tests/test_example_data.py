"""What `make up` shows a newcomer: the Procfile's `data-agent` serves the example database
(seeded by ``python -m data_service.seed``) under all 17 example contracts (examples/acme and
the shop's contract.yaml). Every contract is measured, and exactly the problems planted by
the seed are reported, by the agent and by the monitor's own checks; one refresh step of
the Procfile's `example-data` keeps it so."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from compliance_monitor.checks.completeness_checker import check_completeness
from compliance_monitor.checks.freshness_checker import check_freshness
from compliance_monitor.checks.rules_checker import check_rules, protocol_of
from compliance_monitor.checks.schema_validator import check_schema
from compliance_monitor.checks.uniqueness_checker import check_uniqueness
from data_service.dataset.acme import PLANTED, STALE
from datapact_common.checks import CheckStatus
from datapact_common.contract_schema import ContractDefinition
from datapact_common.data_service_credentials import mint
from datapact_common.documents import load_contracts
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_testing.postgres import drop_database, migrated_database
from datapact_testing.processes import ServiceProcess, free_port
from datapact_testing.tokens import bearer

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "services" / "template-data-service"
EXAMPLE_FILES = [*sorted((REPO / "examples" / "acme").glob("*.yaml")), TEMPLATE / "contract.yaml"]


def procfile(name: str) -> str:
    for line in (REPO / "Procfile").read_text().splitlines():
        entry, _, command = line.partition(":")
        if entry.strip() == name:
            return command.strip()
    raise AssertionError(f"Procfile has no {name} entry")


def example_contracts() -> list[ContractDefinition]:
    return [c for path in EXAMPLE_FILES for c in load_contracts(path.read_text("utf-8"))]


@pytest.fixture(scope="module")
def example_database() -> Iterator[str]:
    url = migrated_database(TEMPLATE, "test_agent_example_data")
    subprocess.run(
        [sys.executable, "-m", "data_service.seed", "--rows", "300", "--database-url", url],
        env={**os.environ, "ENVIRONMENT": "test"},
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    yield url
    drop_database(url.rsplit("/", 1)[1])


def procfile_agent(database_url: str, **env: str) -> ServiceProcess:
    """The Procfile's `data-agent` command, as honcho runs it (a shell), on a free port."""
    command = procfile("data-agent")
    assert "--port 8003" in command and "--host 127.0.0.1" in command
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    return ServiceProcess(
        "data-agent",
        ["sh", "-c", command.replace("--port 8003", f"--port {port}")],
        env={
            "TEMPLATE_DATABASE_URL": database_url,
            "ENVIRONMENT": "test",
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            **env,
        },
        cwd=REPO,
        health_url=f"{base}/health",
        base_url=base,
    )


@pytest.fixture(scope="module")
def agent(example_database: str) -> Iterator[str]:
    with procfile_agent(example_database) as process:
        assert process.base_url is not None
        yield process.base_url


# Checks judged by a verdict of their own (no count of breaking rows).
JUDGED = {"present", "type", "completeness", "freshness", "row_count", "quality"}


def failed_verdicts(metrics: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (name, check["id"])
        for name, dataset in metrics["datasets"].items()
        for check in dataset["checks"]
        if check["rule"] in JUDGED and check["passed"] is False
    }


def violated(metrics: dict[str, Any]) -> dict[tuple[str, str], int]:
    found = {}
    for name, dataset in metrics["datasets"].items():
        for check in dataset["checks"]:
            if check["violations"]:
                found[(name, check["id"])] = check["violations"]
    return found


def assert_every_contract_measured(metrics: dict[str, Any]) -> None:
    contracts = example_contracts()
    assert len(contracts) == 17
    assert set(metrics["datasets"]) == {c.name for c in contracts}
    for contract in contracts:
        dataset = metrics["datasets"][contract.name]
        assert dataset["errors"] == [], (contract.name, dataset["errors"])
        assert dataset["row_count"] > 0, contract.name
        assert dataset["checks"], contract.name
        for check in dataset["checks"]:
            assert check["error"] is None and check["skipped"] is None, (contract.name, check)
            assert isinstance(check["passed"], bool), (contract.name, check)
            judged = check["rule"] in JUDGED
            assert judged or isinstance(check["violations"], int), (contract.name, check)


def monitor_verdicts(metrics: dict[str, Any], schema: dict[str, Any]) -> dict[str, set[str]]:
    """contract -> the monitor's checks that do not pass (by check type)."""
    contracts = example_contracts()
    tables = {c.name: c.effective_table for c in contracts}
    protocol = protocol_of(metrics)
    failing: dict[str, set[str]] = {}
    for contract in contracts:
        dataset = metrics["datasets"][contract.name]
        results = [
            check_schema(contract, schema, tables),
            check_freshness(contract, dataset),
            check_completeness(contract, dataset),
            check_uniqueness(contract, dataset),
            *check_rules(contract, dataset, protocol),
        ]
        for result in results:
            if result is not None and result.status is not CheckStatus.PASS:
                kind = str(result.check_type.value)
                failing.setdefault(contract.name, set()).add(f"{kind}:{result.status.value}")
    return failing


EXPECTED_MONITOR = {
    "products": {"validity:fail"},
    "customers": {"validity:fail"},
    # the monitor judges a null in a NOT NULL field as completeness (100% for such a
    # field); the column is nullable in the database, which the schema check reports
    "customer_addresses": {"completeness:fail", "schema:fail"},
    "orders": {"validity:fail"},
    STALE: {"freshness:fail"},
}


def test_every_example_contract_is_checked_and_only_the_planted_problems_show(
    agent: str,
) -> None:
    metrics = httpx.get(f"{agent}/metrics", timeout=60).json()
    schema = httpx.get(f"{agent}/schema", timeout=60).json()
    assert metrics["protocol"] == 2
    assert_every_contract_measured(metrics)
    assert violated(metrics) == PLANTED
    assert failed_verdicts(metrics) == {("shipment_events", "(table):freshness")}
    assert monitor_verdicts(metrics, schema) == EXPECTED_MONITOR
    # the schema check names the nullable column
    addresses = next(c for c in example_contracts() if c.name == "customer_addresses")
    tables = {c.name: c.effective_table for c in example_contracts()}
    result = check_schema(addresses, schema, tables)
    assert "city" in result.summary, result.summary


def test_a_refresh_step_keeps_it_so(agent: str, example_database: str) -> None:
    before = httpx.get(f"{agent}/metrics", timeout=60).json()
    command = shlex.split(procfile("example-data"))
    for _ in range(2):
        subprocess.run(
            [*command, "--once"],
            env={**os.environ, "TEMPLATE_DATABASE_URL": example_database},
            cwd=REPO,
            check=True,
            timeout=60,
        )
    metrics = httpx.get(f"{agent}/metrics", timeout=60).json()
    schema = httpx.get(f"{agent}/schema", timeout=60).json()
    assert_every_contract_measured(metrics)
    assert violated(metrics) == PLANTED
    assert monitor_verdicts(metrics, schema) == EXPECTED_MONITOR
    grew = {"orders", "payments", "invoices", "shipments", "shop_orders", "shop_order_items"}
    for name in grew:
        assert metrics["datasets"][name]["row_count"] > before["datasets"][name]["row_count"]
    assert metrics["datasets"][STALE]["row_count"] == before["datasets"][STALE]["row_count"]


def test_the_monitor_credential_can_be_required(example_database: str) -> None:
    """AGENT_REQUIRE_MONITOR_CREDENTIAL=true works with the Procfile as it is: its
    AGENT_ENDPOINT_URL defaults to the URL the example contracts name (docs/security.md)."""
    with procfile_agent(example_database, AGENT_REQUIRE_MONITOR_CREDENTIAL="true") as process:
        base = process.base_url
        monitor = bearer(mint(DEVELOPMENT_SECRET, "http://127.0.0.1:8003"))
        assert httpx.get(f"{base}/metrics", timeout=60).status_code == 401
        other = bearer(mint(DEVELOPMENT_SECRET, "http://127.0.0.1:8006"))
        assert httpx.get(f"{base}/schema", headers=other, timeout=60).status_code == 401
        metrics = httpx.get(f"{base}/metrics", headers=monitor, timeout=60)
        assert metrics.status_code == 200
        assert len(metrics.json()["datasets"]) == 17
