"""A dataset's /metrics entry made from its kept template (``ReportTemplate``) is the entry
made rule by rule (``rule_check``), for measured tables, a table whose scan failed or timed
out, a table that could not be measured at all and one that does not exist; the entries the
template shares between answers are never changed by a later answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic_core import to_json

from datapact_agent.checks.plan import TablePlan, plan_tables
from datapact_agent.checks.runner import Outcome, TableMeasurer, TableResult, planned
from datapact_agent.contracts.catalogue import read_catalogue
from datapact_agent.metrics.report import ReportTemplate, dataset_report, rule_check
from datapact_agent.metrics.schemas import DatasetMetrics
from datapact_common.engines.postgres import PostgresEngine

OWNER = {"team": "t", "owner": "o"}
MORE = [
    {
        "name": "films_broken",
        "version": "1.0.0",
        "table": "film",
        "publisher": OWNER,
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "title", "data_type": "string",
             "constraints": [{"type": "expression", "value": "title > 5"}]},
            {"name": "nope", "data_type": "string", "nullable": False, "unique": True},
            {"name": "length_min", "data_type": "integer", "is_foreign_key": True,
             "foreign_key_reference": "elsewhere.id",
             "constraints": [{"type": "min", "value": 1}]},
        ],
        "quality": [{"metric_type": "freshness", "threshold": "1 day",
                     "measurement_method": "no_such_column"}],
    },
    {
        "name": "slow",
        "version": "1.0.0",
        "table": "slow_view",
        "publisher": OWNER,
        "schema": [{"name": "id", "data_type": "integer", "nullable": False}],
    },
    {
        "name": "ghost",
        "version": "1.0.0",
        "table": "no_such_table",
        "publisher": OWNER,
        "schema": [{"name": "id", "data_type": "integer", "nullable": False}],
    },
]  # fmt: skip


@pytest.fixture
def plans(shop_url: str, shop_contracts: Path, tmp_path: Path) -> Any:
    folder = tmp_path / "contracts"
    folder.mkdir()
    (folder / "shop.yaml").write_text(shop_contracts.read_text(encoding="utf-8"))
    (folder / "more.yaml").write_text(yaml.safe_dump_all(MORE))
    catalogue = read_catalogue(folder, {})
    engine = PostgresEngine(shop_url, pool_size=2, timeout_seconds=0.5, app_name="test")
    try:
        live = engine.catalogue(catalogue.schemas())
        made = plan_tables(list(catalogue.contracts), catalogue.tables, live)
        yield engine, made
    finally:
        engine.close()


def _rule_by_rule(dataset: Any, result: TableResult, key: list[str] | None) -> dict[str, Any]:
    """The entry as it was made before templates: every check by ``rule_check``."""
    entry = dataset_report(dataset, result, key)
    entry["checks"] = [rule_check(rule, result) for rule in dataset.rules]
    return entry


def test_the_template_makes_the_entry_rule_check_makes(plans: Any) -> None:
    engine, made = plans
    measurer = TableMeasurer(engine, sample_size=5)
    results = measurer.measure_many(made)
    seen: set[str] = set()
    for plan, result in zip(made, results, strict=True):
        assert isinstance(result, TableResult)
        for dataset in plan.datasets:
            first = to_json(dataset_report(dataset, result, plan.sample_key))
            again = to_json(dataset_report(dataset, result, plan.sample_key))
            assert first == again == to_json(_rule_by_rule(dataset, result, plan.sample_key))
            DatasetMetrics.model_validate_json(first)
            for check in dataset_report(dataset, result, plan.sample_key)["checks"]:
                seen.add(f"{check['rule']}:{check['error'] is not None}:{check['skipped']}")
    # present/type verdicts, rule errors, a skipped key, counted and failed rules all met
    assert {"present:False:None", "type:False:None", "expression:True:None"} <= seen
    assert any(s.startswith("foreign_key:False:contract 'elsewhere'") for s in seen)
    slow = next(r for p, r in zip(made, results, strict=True) if p.table == "slow_view")
    assert isinstance(slow, TableResult) and slow.error == "timed out" and slow.derived


def test_a_rule_judged_when_planned_keeps_its_outcome_only_once_derived(plans: Any) -> None:
    _, made = plans
    films: TablePlan = next(p for p in made if p.table == "film")
    judged = [rule for rule in films.rules if planned(rule) is not None]
    assert {rule.kind.value for rule in judged} >= {"present", "type", "not_null", "foreign_key"}
    derived = TableResult(derived=True)
    failed = TableResult(error="database unavailable: gone")  # no scan: the table's error
    for rule in judged:
        if rule.verdict is not None:
            assert derived.outcome(rule) == Outcome(passed=rule.verdict[0], found=rule.verdict[1])
        else:
            assert derived.outcome(rule) == Outcome(error=rule.error)
        assert failed.outcome(rule) == Outcome(error="database unavailable: gone")
    for dataset in films.datasets:
        checks = dataset_report(dataset, failed, None)["checks"]
        assert all(c["error"] == "database unavailable: gone" for c in checks if not c["skipped"])
        assert all(c["passed"] is None for c in checks)


def test_a_later_answer_leaves_an_earlier_one_as_it_was(plans: Any) -> None:
    engine, made = plans
    measurer = TableMeasurer(engine, sample_size=5)
    films: TablePlan = next(p for p in made if p.table == "film")
    [measured] = measurer.measure_many([films])
    assert isinstance(measured, TableResult)
    dataset = films.datasets[0]
    earlier = dataset_report(dataset, measured, films.sample_key)
    written = to_json(earlier)
    timed_out = TableResult(error="timed out")
    measurer._derive(films, timed_out)
    later = dataset_report(dataset, timed_out, None)
    assert to_json(earlier) == written
    assert to_json(later) != written
    assert ReportTemplate.of(dataset) is dataset.report_template  # made once, kept
