"""ODCS quality rules in the contract: validation, thresholds, and the change classifier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, Severity, diff_contracts
from datapact_common.quality_rules import QualityRule, parse_rule_query

Doc = dict[str, Any]
Evolve = Callable[..., ContractDefinition]


@pytest.mark.parametrize(
    "rule",
    [
        {"metric": "nullValues", "mustBe": 0},
        {"type": "library", "metric": "missingValues", "mustBeLessThan": 2.5, "unit": "percent",
         "arguments": {"missingValues": [None, "", "N/A"]}},
        {"metric": "invalidValues", "mustBeLessOrEqualTo": 5, "unit": "percent",
         "arguments": {"validValues": ["", None, "n/a"]}},
        {"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": "^[A-Z]{2}$"}},
        {"metric": "duplicateValues", "mustNotBeBetween": [1, 10]},
        {"type": "sql", "mustBeGreaterOrEqualTo": 1,
         "query": "SELECT COUNT(*) FROM ${object} WHERE ${property} IS NOT NULL"},
        {"type": "sql", "mustBeBetween": [1000, 49900],
         "query": "SELECT quantile_cont(order_total, 0.95) AS p95 FROM orders"},
        {"type": "sql", "mustBeLessThan": 5, "query":
         "SELECT COUNT(*) FILTER (WHERE a IS NULL) * 100.0 / COUNT(*) FROM t"},
    ],
)  # fmt: skip
def test_valid_rules_read_and_write_back_as_written(rule: Doc) -> None:
    parsed = QualityRule.model_validate(rule)
    assert QualityRule.model_validate(parsed.to_odcs()) == parsed
    assert QualityRule.model_validate(parsed.model_dump(mode="json", by_alias=True)) == parsed


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"metric": "nullValues"}, "needs one threshold"),
        ({"metric": "nullValues", "mustBe": 0, "mustBeLessThan": 3}, "exactly one threshold"),
        ({"metric": "nullValues", "mustBe": "zero"}, "needs a number"),
        ({"metric": "nullValues", "mustBe": True}, "needs a number"),
        ({"metric": "nullValues", "mustBeBetween": [5, 1]}, "smallest first"),
        ({"metric": "nullValues", "mustBeBetween": [1]}, "two numbers"),
        ({"metric": "nullValues", "mustBe": 120, "unit": "percent"}, "from 0 to 100"),
        ({"metric": "rowCount", "mustBe": 1, "unit": "percent"}, "no unit percent"),
        ({"metric": "freshValues", "mustBe": 0}, "Input should be"),
        ({"metric": "nullValues", "mustBe": 0, "arguments": {"x": 1}}, "does not take"),
        ({"metric": "missingValues", "mustBe": 0}, "arguments.missingValues"),
        ({"metric": "invalidValues", "mustBe": 0}, "validValues"),
        ({"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": "(a"}}, "compile"),
        ({"type": "sql", "mustBe": 0}, "needs a query"),
        ({"type": "sql", "mustBe": 0, "query": "DELETE FROM t"}, "must be a SELECT"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT 1; DROP TABLE t"}, "one SELECT"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT pg_sleep(5)"}, "not allowed"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT nextval('s')"}, "not allowed"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT * FROM t"}, "one column"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT a, b FROM t"}, "one column"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT count(*) INTO x FROM t"}, "INTO"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT count(*) FROM t FOR UPDATE"}, "LOCK"),
        ({"type": "sql", "mustBe": 0,
          "query": "WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d"}, "DELETE"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT count(*) FROM ${nope}"}, "placeholder"),
        ({"type": "sql", "mustBe": 0, "query": "SELECT FROM WHERE"}, "parse"),
    ],
)  # fmt: skip
def test_invalid_rules_are_refused_with_the_reason(rule: Doc, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        QualityRule.model_validate(rule)


@pytest.mark.parametrize(
    ("rule", "passing", "failing"),
    [
        ({"mustBe": 0}, [0], [1]),
        ({"mustNotBe": 3}, [2, 4], [3]),
        ({"mustBeGreaterThan": 3}, [4], [3]),
        ({"mustBeGreaterOrEqualTo": 3}, [3], [2.9]),
        ({"mustBeLessThan": 3}, [2], [3]),
        ({"mustBeLessOrEqualTo": 3}, [3], [3.1]),
        ({"mustBeBetween": [1, 3]}, [1, 3], [0, 4]),
        ({"mustNotBeBetween": [1, 3]}, [0, 4], [1, 2, 3]),
    ],
)
def test_each_threshold_passes_and_fails(
    rule: Doc, passing: list[float], failing: list[float]
) -> None:
    parsed = QualityRule.model_validate({"metric": "rowCount", **rule})
    assert all(parsed.passes(v) for v in passing)
    assert not any(parsed.passes(v) for v in failing)


def test_sql_placeholders_become_markers() -> None:
    tree = parse_rule_query("SELECT count(*) FROM ${object} WHERE ${ property } < 0").tree
    assert "__datapact_object__" in tree.sql() and "__datapact_property__" in tree.sql()


def test_rules_sit_at_their_level(orders_doc: Doc) -> None:
    doc = {**orders_doc}
    doc["quality_rules"] = [{"metric": "nullValues", "mustBe": 0}]
    with pytest.raises(ValidationError, match="nullValues is a field rule"):
        ContractDefinition.model_validate(doc)
    doc["quality_rules"] = [{"metric": "duplicateValues", "mustBe": 0}]
    with pytest.raises(ValidationError, match=r"needs arguments\.properties"):
        ContractDefinition.model_validate(doc)
    doc["quality_rules"] = [
        {"metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": ["nope"]}}
    ]
    with pytest.raises(ValidationError, match="unknown field"):
        ContractDefinition.model_validate(doc)
    doc["quality_rules"] = [
        {"type": "sql", "mustBe": 0, "query": "SELECT count(*) FROM t WHERE ${property} < 0"}
    ]
    with pytest.raises(ValidationError, match="use it on a field"):
        ContractDefinition.model_validate(doc)
    doc["quality_rules"] = []
    schema = [dict(f) for f in doc["schema"]]
    schema[0]["quality_rules"] = [{"metric": "rowCount", "mustBeGreaterThan": 0}]
    with pytest.raises(ValidationError, match="rowCount is a table rule"):
        ContractDefinition.model_validate({**doc, "schema": schema})


def _with_rules(field_rules: list[Doc], table_rules: list[Doc] | None = None) -> Any:
    def change(doc: Doc) -> None:
        doc["schema"][3]["quality_rules"] = field_rules  # amount
        doc["quality_rules"] = table_rules or []

    return change


NULLS = {"metric": "nullValues", "mustBeLessOrEqualTo": 5, "unit": "percent"}


@pytest.mark.parametrize(
    ("before", "after", "kind", "severity"),
    [
        ([], [NULLS], ChangeKind.CONSTRAINT_TIGHTENED, Severity.WARNING),
        ([NULLS], [], ChangeKind.CONSTRAINT_LOOSENED, Severity.BREAKING),
        ([NULLS], [{**NULLS, "mustBeLessOrEqualTo": 1}], ChangeKind.CONSTRAINT_TIGHTENED,
         Severity.WARNING),
        ([NULLS], [{**NULLS, "mustBeLessOrEqualTo": 10}], ChangeKind.CONSTRAINT_LOOSENED,
         Severity.BREAKING),
        ([NULLS], [{"metric": "nullValues", "mustBeLessThan": 5, "unit": "percent"}],
         ChangeKind.CONSTRAINT_TIGHTENED, Severity.WARNING),
        ([NULLS], [{"metric": "nullValues", "mustBeLessOrEqualTo": 5}],
         ChangeKind.CONSTRAINT_LOOSENED, Severity.BREAKING),  # another unit: not comparable
        ([NULLS], [{**NULLS, "description": "reworded"}], ChangeKind.FIELD_DOCS_CHANGED,
         Severity.INFO),
    ],
)  # fmt: skip
def test_field_rule_changes_are_classified(
    evolve: Evolve, before: list[Doc], after: list[Doc], kind: ChangeKind, severity: Severity
) -> None:
    old = evolve(_with_rules(before), version="1.0.0")
    new = evolve(_with_rules(after), version="2.0.0")
    changes = [c for c in diff_contracts(old, new).changes if "quality_rules" in c.path]
    assert [(c.kind, c.severity, c.field) for c in changes] == [(kind, severity, "amount")]


def test_table_rule_changes_are_classified(evolve: Evolve) -> None:
    rows = {"metric": "rowCount", "mustBeBetween": [10, 100]}
    sql = {"type": "sql", "mustBe": 0, "query": "SELECT count(*) FROM orders WHERE amount < 0"}
    old = evolve(_with_rules([], [rows, sql]), version="1.0.0")
    wider_query = {**sql, "query": sql["query"] + " OR amount > 9"}
    narrower = evolve(
        _with_rules([], [{**rows, "mustBeBetween": [20, 90]}, wider_query]), version="2.0.0"
    )
    changes = {c.path: c for c in diff_contracts(old, narrower).changes}
    assert changes["quality_rules.rowCount"].severity is Severity.WARNING
    assert changes["quality_rules.sql"].severity is Severity.BREAKING  # another query
    assert changes["quality_rules.sql"].affected_subscribers  # contract-wide
