"""Bad input is a clear error per contract: never a crash, never a pass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from datapact_agent.config import Settings
from datapact_agent.contracts.catalogue import ContractsError
from datapact_agent.main import create_app
from datapact_common.engines.registry import UnsupportedDatabaseError

CONTRACT = {
    "name": "things",
    "version": "1.0.0",
    "publisher": {"team": "t", "owner": "o"},
    "schema": [{"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True}],
}


def _write(tmp_path: Path, *documents: dict[str, Any]) -> Path:
    path = tmp_path / "contracts.yaml"
    path.write_text(yaml.safe_dump_all(documents), encoding="utf-8")
    return path


def _assert_never_passes(dataset: dict[str, Any]) -> None:
    assert dataset["errors"], dataset
    for check in dataset["checks"]:
        assert check["violations"] is None and check["error"], check


async def test_an_unreachable_database_is_an_error_per_contract(
    agent_client: Any, tmp_path: Path
) -> None:
    url = "postgresql://postgres@127.0.0.1:1/nowhere"
    async with agent_client(database_url=url, contracts=_write(tmp_path, CONTRACT)) as client:
        metrics = await client.get("/metrics")
        health = await client.get("/health")
        schema = await client.get("/schema")
        page = await client.get("/metrics", params={"contracts": "things,others"})
        schema_page = await client.get("/schema", params={"tables": "things"})
    assert page.status_code == 200 and list(page.json()["datasets"]) == ["things"]
    _assert_never_passes(page.json()["datasets"]["things"])
    assert schema_page.status_code == 503
    assert metrics.status_code == 200
    dataset = metrics.json()["datasets"]["things"]
    assert dataset["errors"][0].startswith("database unavailable: ")
    assert "Connection refused" in dataset["errors"][0]
    _assert_never_passes(dataset)
    assert health.status_code == 503 and health.json()["status"] == "unhealthy"
    assert schema.status_code == 503 and "database unavailable" in schema.json()["detail"]


async def test_a_missing_table_or_column_is_an_error_not_a_pass(
    agent_client: Any, shop_url: str, tmp_path: Path
) -> None:
    missing_table = {**CONTRACT, "name": "ghosts", "table": "no_such_table"}
    missing_column = {
        **CONTRACT,
        "name": "films",
        "table": "film",
        "schema": [
            *CONTRACT["schema"],  # type: ignore[list-item]
            {"name": "gone", "data_type": "integer", "nullable": False,
             "constraints": [{"type": "min", "value": 0}]},
        ],
    }  # fmt: skip
    contracts = _write(tmp_path, missing_table, missing_column)
    async with agent_client(database_url=shop_url, contracts=contracts) as client:
        body = (await client.get("/metrics")).json()
    _assert_never_passes(body["datasets"]["ghosts"])
    assert body["datasets"]["ghosts"]["errors"] == ["table 'no_such_table' does not exist"]
    films = {c["id"]: c for c in body["datasets"]["films"]["checks"]}
    assert films["gone:min"]["error"] == "column 'gone' does not exist"
    assert films["gone:not_null"]["violations"] is None
    assert films["id:unique"]["violations"] == 0  # the rest is still measured


async def test_a_rule_the_column_type_cannot_take_is_an_error(
    agent_client: Any, shop_url: str, tmp_path: Path
) -> None:
    contract = {
        **CONTRACT,
        "name": "films",
        "table": "film",
        "schema": [
            *CONTRACT["schema"],  # type: ignore[list-item]
            {"name": "title", "data_type": "string", "constraints": [{"type": "min", "value": 1}]},
            {"name": "price", "data_type": "decimal",
             "constraints": [{"type": "regex", "value": "^1"}]},
        ],
    }  # fmt: skip
    async with agent_client(database_url=shop_url, contracts=_write(tmp_path, contract)) as client:
        checks = {
            c["id"]: c for c in (await client.get("/metrics")).json()["datasets"]["films"]["checks"]
        }
    assert "min cannot be checked on column 'title'" in checks["title:min"]["error"]
    assert "regex cannot be checked on column 'price'" in checks["price:regex"]["error"]


async def test_an_expression_the_engine_cannot_evaluate_fails_alone(
    agent_client: Any, shop_url: str, tmp_path: Path
) -> None:
    contract = {
        **CONTRACT,
        "name": "films",
        "table": "film",
        "schema": [
            *CONTRACT["schema"],  # type: ignore[list-item]
            {"name": "title", "data_type": "string",
             "constraints": [{"type": "expression", "value": "title > 5"}]},
            {"name": "length_min", "data_type": "integer",
             "constraints": [{"type": "min", "value": 1}]},
        ],
    }  # fmt: skip
    async with agent_client(database_url=shop_url, contracts=_write(tmp_path, contract)) as client:
        dataset = (await client.get("/metrics")).json()["datasets"]["films"]
    checks = {c["id"]: c for c in dataset["checks"]}
    assert "operator does not exist" in checks["title:expression:0"]["error"]
    assert checks["title:expression:0"]["violations"] is None
    assert checks["length_min:min"]["violations"] == 1  # measured on its own
    assert dataset["row_count"] == 4


async def test_a_table_too_large_for_the_timeout_reports_timed_out(
    agent_client: Any, shop_url: str, tmp_path: Path
) -> None:
    contract = {**CONTRACT, "name": "slow", "table": "slow_view"}
    async with agent_client(
        database_url=shop_url, contracts=_write(tmp_path, contract), query_timeout_seconds=0.3
    ) as client:
        dataset = (await client.get("/metrics")).json()["datasets"]["slow"]
    assert dataset["errors"] == ["metrics query on table 'slow_view' failed: timed out"]
    counted = [c for c in dataset["checks"] if c["rule"] not in ("present", "type")]
    assert [c["error"] for c in counted] == ["timed out", "timed out"]
    # the catalogue checks need no scan: still judged
    assert all(c["passed"] for c in dataset["checks"] if c["rule"] in ("present", "type"))
    assert dataset["row_count"] is None


def test_bad_settings_stop_the_agent_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedDatabaseError, match="unsupported database 'oracle'"):
        create_app(Settings(database_url="oracle://x/y", contracts=_write(tmp_path, CONTRACT)))
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nversion: 1\n", encoding="utf-8")
    with pytest.raises(ContractsError, match=r"broken\.yaml"):
        create_app(Settings(database_url="postgresql://h/db", contracts=broken))
    bad_regex = {**CONTRACT, "schema": [{"name": "id", "data_type": "string",
                 "constraints": [{"type": "regex", "value": "(?<=x)y"}]}]}  # fmt: skip
    with pytest.raises(ContractsError, match="lookahead/lookbehind"):
        create_app(
            Settings(database_url="postgresql://h/db", contracts=_write(tmp_path, bad_regex))
        )
    with pytest.raises(ValueError, match="write contract=table"):
        Settings(database_url="postgresql://h/db", tables="nonsense")
