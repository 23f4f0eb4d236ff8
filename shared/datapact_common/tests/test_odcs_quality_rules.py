"""ODCS quality rules are modelled on import and written back in place on export."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from datapact_common.contract_schema import ContractDefinition
from datapact_common.odcs import from_odcs, read_odcs, to_odcs
from datapact_common.quality_rules import LibraryMetric, RuleType

Load = Callable[[str], Any]


def test_library_and_sql_rules_are_modelled(odcs_fixture: Load) -> None:
    full = from_odcs(odcs_fixture("full-example.odcs.yaml"))[0]
    assert [(r.metric, r.must_be_greater_than) for r in full.quality_rules] == [
        (LibraryMetric.ROW_COUNT, 1000000)
    ]
    nulls = [r for f in full.schema_fields for r in f.quality_rules]
    assert [(r.metric, r.must_be) for r in nulls] == [(LibraryMetric.NULL_VALUES, 0)]
    [validity] = from_odcs(odcs_fixture("column-validity.odcs.yaml"))
    [rule] = [r for f in validity.schema_fields for r in f.quality_rules]
    assert (rule.metric, rule.must_be_less_or_equal_to, str(rule.unit)) == (
        LibraryMetric.INVALID_VALUES, 5, "percent"
    )  # fmt: skip
    [accuracy] = from_odcs(odcs_fixture("column-accuracy.odcs.yaml"))
    [sql] = [r for f in accuracy.schema_fields for r in f.quality_rules]
    assert sql.type is RuleType.SQL and sql.must_be == 0


def test_an_unchanged_import_exports_its_rules_as_written(odcs_fixture: Load) -> None:
    doc = odcs_fixture("full-example.odcs.yaml")
    contract = from_odcs(doc)[0]
    exported = to_odcs(contract)
    assert exported["schema"][0]["quality"] == doc["schema"][0]["quality"]
    prop = next(p for p in exported["schema"][0]["properties"] if p.get("quality"))
    original = next(p for p in doc["schema"][0]["properties"] if p["name"] == prop["name"])
    assert prop["quality"] == original["quality"]


def test_a_rule_edited_in_datapact_is_rewritten_in_place(odcs_fixture: Load) -> None:
    doc = odcs_fixture("full-example.odcs.yaml")
    contract = from_odcs(doc)[0]
    edited = contract.to_document()
    edited["quality_rules"][0] = {"metric": "rowCount", "mustBeBetween": [10, 2000000]}
    edited["quality_rules"].append(
        {"type": "sql", "mustBe": 0, "query": "SELECT count(*) FROM ${object} WHERE 1 = 0"}
    )
    exported = to_odcs(ContractDefinition.model_validate(edited))
    rules = exported["schema"][0]["quality"]
    written = doc["schema"][0]["quality"][0]
    assert rules[0]["mustBeBetween"] == [10, 2000000] and "mustBeGreaterThan" not in rules[0]
    for key in ("dimension", "method", "severity", "businessImpact", "schedule", "scheduler"):
        assert rules[0][key] == written[key]  # what DataPact does not model stays
    assert rules[1]["type"] == "sql" and rules[1]["query"].endswith("WHERE 1 = 0")
    again = from_odcs(exported)[0]
    assert again.quality_rules == ContractDefinition.model_validate(edited).quality_rules


def test_datapact_written_rules_round_trip(orders_doc: dict[str, Any]) -> None:
    doc = copy.deepcopy(orders_doc)
    doc["quality_rules"] = [
        {"metric": "rowCount", "mustBeGreaterThan": 0},
        {"metric": "duplicateValues", "mustBe": 0,
         "arguments": {"properties": ["order_id", "customer_id"]}},
    ]  # fmt: skip
    doc["schema"][2]["quality_rules"] = [
        {"metric": "invalidValues", "mustBe": 0, "arguments": {"validValues": ["a", "b"]}},
        {"metric": "missingValues", "mustBeLessThan": 1, "unit": "percent",
         "arguments": {"missingValues": [None, "", "N/A"]}, "name": "few missing"},
        {"type": "sql", "mustNotBeBetween": [1, 5], "description": "odd",
         "query": "SELECT count(*) FROM ${object} WHERE ${property} LIKE '%x%'"},
    ]  # fmt: skip
    contract = ContractDefinition.model_validate(doc)
    [back] = from_odcs(to_odcs(contract))
    assert back.quality_rules == contract.quality_rules
    assert back.schema_fields[2].quality_rules == contract.schema_fields[2].quality_rules
    assert back.schema_fields[2].constraints == contract.schema_fields[2].constraints


def test_a_rule_datapact_cannot_run_stays_verbatim_with_a_warning(odcs_fixture: Load) -> None:
    doc = odcs_fixture("full-example.odcs.yaml")
    doc["schema"][0]["quality"].append(
        {"type": "sql", "query": "DELETE FROM tbl", "mustBe": 0, "severity": "error"}
    )
    doc["schema"][0]["quality"].append({"metric": "nullValues", "mustBe": 0})  # not a table's
    imported = read_odcs(doc)
    contract = imported.contracts[0]
    assert len(contract.quality_rules) == 1
    assert any("must be a SELECT" in w for w in imported.warnings)
    assert any("nullValues does not apply to a schema object" in w for w in imported.warnings)
    assert to_odcs(contract)["schema"][0]["quality"] == doc["schema"][0]["quality"]
