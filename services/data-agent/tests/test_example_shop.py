"""The agent serves the template's example shop (its Alembic schema, seeded by its script)
under the template's own contracts: every promise kept, the monitor's type check passing.
(`make up`'s whole example database, planted problems included: test_example_data.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance_monitor.checks.schema_validator import check_schema
from datapact_common.checks import CheckStatus
from datapact_common.documents import load_contracts
from datapact_testing.postgres import drop_database, migrated_database

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "services" / "template-data-service"
CONTRACTS = TEMPLATE / "contract.yaml"


@pytest.fixture(scope="module")
def example_shop() -> Iterator[str]:
    url = migrated_database(TEMPLATE, "test_agent_example_shop")
    subprocess.run(
        [sys.executable, "-m", "data_service.seed", "--rows", "300"],
        env={**os.environ, "TEMPLATE_DATABASE_URL": url, "ENVIRONMENT": "test"},
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=180,
    )
    yield url
    drop_database(url.rsplit("/", 1)[1])


async def test_the_example_shop_keeps_every_promise(
    agent_client: Any, example_shop: str, kept: Callable[..., None]
) -> None:
    # The platform's own asyncpg URL works as it is.
    async with agent_client(database_url=example_shop, contracts=CONTRACTS) as client:
        metrics = (await client.get("/metrics")).json()
        schema = (await client.get("/schema")).json()
    contracts = load_contracts(CONTRACTS.read_text(encoding="utf-8"))
    assert set(metrics["datasets"]) == {c.name for c in contracts}
    tables = {c.name: c.effective_table for c in contracts}
    for contract in contracts:
        dataset = metrics["datasets"][contract.name]
        assert dataset["errors"] == [] and dataset["row_count"], contract.name
        assert {c["rule"] for c in dataset["checks"]} >= {"not_null", "unique"}
        for check in dataset["checks"]:
            kept(check)
        assert check_schema(contract, schema, tables).status is CheckStatus.PASS, contract.name
