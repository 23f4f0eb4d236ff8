"""Validity: each value rule judged on protocol 2's ``checks[]``; protocol 1 never passes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compliance_monitor.checks import check_rules, protocol_of
from compliance_monitor.checks.rules_checker import value_rules
from compliance_monitor.reporters.events import breach_event
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition

MakeContract = Callable[..., ContractDefinition]

SCHEMA = [
    {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
    {
        "name": "weight_kg",
        "data_type": "decimal",
        "constraints": [
            {"type": "min", "value": 0},
            {"type": "expression", "value": "weight_kg < 1000"},
        ],
    },
    {
        "name": "tier",
        "data_type": "string",
        "constraints": [{"type": "enum", "value": ["bronze", "gold"]}],
    },
    {
        "name": "owner_id",
        "data_type": "integer",
        "is_foreign_key": True,
        "foreign_key_reference": "owners.id",
    },
]


def check(rule_id: str, violations: int | None, **extra: Any) -> dict[str, Any]:
    field, rule = rule_id.split(":")[:2]
    return {
        "id": rule_id, "field": field, "fields": [field], "rule": rule, "value": None,
        "violations": violations, "samples": None, "error": None, "skipped": None, **extra,
    }  # fmt: skip


def dataset(*checks: dict[str, Any]) -> dict[str, Any]:
    return {"row_count": 40, "sample_key": ["id"], "checks": list(checks)}


def test_rule_ids_are_the_agents(make_contract: MakeContract) -> None:
    ids = [r.id for r in value_rules(make_contract(schema=SCHEMA))]
    assert ids == [
        "weight_kg:min", "weight_kg:expression:0", "tier:enum", "owner_id:foreign_key",
    ]  # fmt: skip


def test_each_rule_is_a_result_naming_field_rule_and_count(make_contract: MakeContract) -> None:
    contract = make_contract(schema=SCHEMA)
    results = check_rules(
        contract,
        dataset(
            check("id:not_null", 0),
            check("weight_kg:min", 12, samples=[{"id": 3, "weight_kg": -1}, {"id": 9}]),
            check("weight_kg:expression:0", 0),
            check("tier:enum", None, error="timed out"),
            check("owner_id:foreign_key", None, skipped="contract 'owners' is not served"),
        ),
        protocol=2,
    )
    by_rule = {r.rule: r for r in results}
    assert list(by_rule) == ["weight_kg:min", "weight_kg:expression:0", "tier:enum"]
    broken = by_rule["weight_kg:min"]
    assert broken.check_type is CheckType.VALIDITY and broken.status is CheckStatus.FAIL
    assert broken.summary == "`weight_kg`: 12 rows below min 0"
    assert broken.fields == ["weight_kg"] and broken.state_key == "validity:weight_kg:min"
    # only primary-key columns of the samples are kept
    assert broken.details["samples"] == [{"id": 3}, {"id": 9}]
    assert broken.details["violations"] == 12 and broken.details["rule"] == "min"
    assert broken.record_body()["rule"] == "weight_kg:min"
    assert by_rule["weight_kg:expression:0"].status is CheckStatus.PASS
    unmeasured = by_rule["tier:enum"]
    assert unmeasured.status is CheckStatus.ERROR and "timed out" in unmeasured.summary
    assert len({r.checked_at for r in results}) == 1  # one observation


def test_a_rule_the_service_does_not_report_is_not_a_pass(make_contract: MakeContract) -> None:
    results = check_rules(make_contract(schema=SCHEMA), dataset(), protocol=2)
    assert {r.status for r in results} == {CheckStatus.ERROR}
    assert all("did not report it" in r.summary for r in results)


def test_protocol_1_reports_value_rules_as_not_checked(make_contract: MakeContract) -> None:
    metrics = {"service": "template", "datasets": {}}
    assert protocol_of(metrics) == 1 and protocol_of({"protocol": 2}) == 2
    assert protocol_of({"protocol": True}) == 1 and protocol_of({"protocol": "2"}) == 1
    results = check_rules(make_contract(schema=SCHEMA), {"row_count": 3}, protocol_of(metrics))
    assert len(results) == 4 and {r.status for r in results} == {CheckStatus.ERROR}
    assert results[0].summary == (
        "`weight_kg`: min 0 not checked (the data service speaks protocol 1)"
    )


def test_odd_counts_and_samples_are_not_trusted(make_contract: MakeContract) -> None:
    contract = make_contract(schema=SCHEMA[:2])
    for bad in (-1, 1.5, True, "3"):
        [result, _] = check_rules(
            contract, dataset(check("weight_kg:min", bad), check("weight_kg:expression:0", 0)), 2
        )
        assert result.status is CheckStatus.ERROR, bad
    no_key = {"row_count": 1, "checks": [check("weight_kg:min", 1, samples=[{"email": "x@y"}])]}
    [result, _] = check_rules(contract, no_key, 2)
    assert result.status is CheckStatus.FAIL and result.details["samples"] is None
    assert result.summary == "`weight_kg`: 1 row below min 0"


def test_the_breach_event_names_the_rule(make_contract: MakeContract) -> None:
    contract = make_contract(schema=SCHEMA)
    [result, *_] = check_rules(contract, dataset(check("weight_kg:min", 12)), 2)
    event = breach_event(contract, "c-1", result)
    assert event.title == "Validity breach in customers: `weight_kg`: 12 rows below min 0"
    assert event.dedup_key == "quality_breach:customers:validity:weight_kg:min"
    assert event.payload["rule"] == "weight_kg:min" and event.payload["violations"] == 12
    assert event.payload["fields"] == ["weight_kg"]


QUALITY_SCHEMA = [
    {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
    {"name": "code", "data_type": "string", "quality_rules": [
        {"metric": "nullValues", "mustBe": 0},
        {"metric": "invalidValues", "mustBeLessOrEqualTo": 5, "unit": "percent",
         "arguments": {"validValues": ["a", "b"]}},
    ]},
]  # fmt: skip
TABLE_RULES = [{"type": "sql", "mustBeLessThan": 10, "query": "SELECT MAX(id) FROM ${object}"}]


def quality(rule_id: str, measured: float | None, passed: bool | None, **extra: Any) -> Any:
    field = rule_id.split(":")[0]
    return check(rule_id, None, field=None if field == "(table)" else field,
                 rule="quality", measured=measured, passed=passed, **extra)  # fmt: skip


def test_quality_rules_are_results_judged_on_the_agents_verdict(
    make_contract: MakeContract,
) -> None:
    contract = make_contract(schema=QUALITY_SCHEMA, quality_rules=TABLE_RULES)
    assert [r.id for r in value_rules(contract)] == [
        "code:quality:0", "code:quality:1", "(table):quality:0",
    ]  # fmt: skip
    results = check_rules(
        contract,
        dataset(
            quality("code:quality:0", 3, False),
            quality("code:quality:1", 2.5, True),
            quality("(table):quality:0", None, None, error="timed out"),
        ),
        protocol=2,
    )
    by_rule = {r.rule: r for r in results}
    nulls = by_rule["code:quality:0"]
    assert (nulls.status, nulls.summary) == (
        CheckStatus.FAIL,
        "`code`: nullValues 3 rows, expected = 0",
    )
    assert nulls.fields == ["code"] and nulls.details["measured"] == 3
    assert by_rule["code:quality:1"].status is CheckStatus.PASS
    assert by_rule["code:quality:1"].summary == "`code`: invalidValues 2.5%, expected <= 5 %"
    sql = by_rule["(table):quality:0"]
    assert sql.status is CheckStatus.ERROR and "timed out" in sql.summary
    event = breach_event(contract, "c-1", nulls)
    assert event is not None and "nullValues 3 rows" in str(event)


def test_a_quality_rule_the_agent_does_not_report_is_not_checked(
    make_contract: MakeContract,
) -> None:
    contract = make_contract(schema=QUALITY_SCHEMA)
    results = check_rules(contract, dataset(), protocol=2)
    assert {r.status for r in results} == {CheckStatus.ERROR}
    assert all(r.check_type is CheckType.VALIDITY for r in results)
