"""One dataset's /metrics entry from its plan and its table's measurements.

Built as plain dicts in the order and shape of ``metrics.schemas`` (the documented response,
which the tests validate every answer against): a pydantic model per rule cost ~28 % of the
agent's event loop on a sweep of 1,000 contracts, 17 rules each.

What no measurement changes is made once per dataset plan (``ReportTemplate``, kept with the
plan across sweeps): the entry of a rule judged when planned (a column present, its type, a
rule that cannot be checked or is skipped: half the entries of a typical contract), the
static keys of the others, the field names. Those entries are shared by every answer, so
nothing may change a report's dicts once made (they are only written out).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic_core import to_json

from datapact_agent.checks.plan import DatasetPlan
from datapact_agent.checks.rules import JUDGED_KINDS, Rule
from datapact_agent.checks.runner import Outcome, TableResult, planned


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)


def rule_check(rule: Rule, result: TableResult) -> dict[str, Any]:
    return _check(rule, result.outcome(rule))


def _check(rule: Rule, outcome: Outcome) -> dict[str, Any]:
    passed = outcome.passed
    if rule.kind not in JUDGED_KINDS and outcome.violations is not None and not rule.skipped:
        passed = outcome.violations == 0
    skipped = rule.skipped
    return {
        "id": rule.id,
        "field": rule.field,
        "fields": list(rule.fields or rule.distinct or ()),
        "rule": rule.kind.value,
        "value": rule.value,
        "violations": None if skipped else outcome.violations,
        "samples": outcome.samples,
        "error": None if skipped or outcome.error is None else outcome.error,
        "skipped": skipped,
        "passed": None if skipped or outcome.error else passed,
        "measured": _float(outcome.measured),
        "found": outcome.found,
    }


# A measured rule's static part: the rule, its id, field, fields, kind, value, skipped (not
# set, or the rule is judged when planned), and whether it is judged by a verdict of its own
# (``JUDGED_KINDS``) rather than by its violations.
_Measured = tuple[Rule, str, str | None, list[str], str, Any, str | None, bool]


class ReportTemplate:
    """What a dataset's report holds whatever its table's measurements."""

    __slots__ = ("checks", "field_names")

    def __init__(self, dataset: DatasetPlan) -> None:
        self.field_names: tuple[str, ...] = tuple(dataset.contract.field_names)
        # per rule, in order: its finished entry (judged when planned), or its static part
        self.checks: list[dict[str, Any] | _Measured] = []
        for rule in dataset.rules:
            known = planned(rule)
            if known is not None:
                self.checks.append(_check(rule, known))
            else:
                self.checks.append(
                    (
                        rule,
                        rule.id,
                        rule.field,
                        list(rule.fields or rule.distinct or ()),
                        rule.kind.value,
                        rule.value,
                        rule.skipped,
                        rule.kind in JUDGED_KINDS,
                    )
                )

    @classmethod
    def of(cls, dataset: DatasetPlan) -> ReportTemplate:
        made = dataset.report_template
        if made is None:
            made = dataset.report_template = cls(dataset)
        return made  # type: ignore[no-any-return]


def _checks(template: ReportTemplate, result: TableResult) -> list[dict[str, Any]]:
    """``rule_check`` of every rule, from the template: what ``_check`` writes, with the
    outcome ``TableMeasurer._derive`` stored (of a rule not skipped)."""
    outcomes = result.outcomes
    checks: list[dict[str, Any]] = []
    append = checks.append
    for entry in template.checks:
        if isinstance(entry, dict):
            append(entry)
            continue
        rule, rule_id, field, fields, kind, value, skipped, judged = entry
        outcome = outcomes.get(id(rule))
        if outcome is None:
            outcome = result.outcome(rule)
        violations = outcome.violations
        error = outcome.error
        passed = outcome.passed
        if not judged and violations is not None:
            passed = violations == 0
        measured = outcome.measured
        append(
            {
                "id": rule_id,
                "field": field,
                "fields": fields,
                "rule": kind,
                "value": value,
                "violations": violations,
                "samples": outcome.samples,
                "error": error,
                "skipped": skipped,
                "passed": None if error else passed,
                "measured": None if measured is None else float(measured),
                "found": outcome.found,
            }
        )
    return checks


def dataset_report(
    dataset: DatasetPlan, result: TableResult, sample_key: list[str] | None
) -> dict[str, Any]:
    errors = list(dataset.errors)
    if result.error:
        errors.append(f"metrics query on table '{dataset.table}' failed: {result.error}")
    rows = result.row_count
    template = ReportTemplate.of(dataset) if result.derived else None
    completeness: dict[str, dict[str, Any] | None] = {}
    for name in template.field_names if template else dataset.contract.field_names:
        non_null = result.non_null.get(name)
        completeness[name] = (
            None
            if rows is None or non_null is None
            else {"non_null": non_null, "ratio": _ratio(non_null, rows)}
        )
    uniqueness: dict[str, dict[str, Any] | None] = {}
    for name in dataset.unique_fields:
        distinct = result.distinct.get(name)
        non_null = result.non_null.get(name)
        uniqueness[name] = (
            None
            if distinct is None or non_null is None
            else {
                "distinct": distinct,
                "duplicates": non_null - distinct,
                "ratio": _ratio(distinct, non_null),
            }
        )
    if dataset.composite_fields:
        key = dataset.composite_fields
        distinct = result.composite_distinct.get(key)
        uniqueness[f"({', '.join(key)})"] = (
            None
            if distinct is None or rows is None
            else {
                "distinct": distinct,
                "duplicates": rows - distinct,
                "ratio": _ratio(distinct, rows),
            }
        )
    latest = result.latest.get(dataset.freshness_column)
    seconds = (
        (result.database_now - latest).total_seconds()
        if latest is not None and result.database_now is not None
        else None
    )
    return {
        "table": dataset.table,
        "row_count": rows,
        "freshness": {
            "column": dataset.freshness_column,
            "last_update": latest,
            "seconds_since_update": seconds,
        },
        "completeness": completeness,
        "uniqueness": uniqueness,
        "errors": errors,
        "checks": _checks(template, result)
        if template
        else [rule_check(rule, result) for rule in dataset.rules],
        "sample_key": sample_key,
        "queries": result.queries,
        "seconds": round(result.seconds, 6),
    }


def render(document: dict[str, Any]) -> bytes:
    """The answer's bytes, written as pydantic's JSON mode writes the models (datetimes ISO
    8601 with ``Z`` for UTC, decimals as strings), without a model per rule."""
    return to_json(document, inf_nan_mode="null")


def metrics_document(
    service: str, generated_at: datetime, datasets: dict[str, Any], *, paged: bool = False
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "service": service,
        "protocol": 2,
        "generated_at": generated_at,
        "datasets": datasets,
    }
    if paged:
        document["paged"] = True
    return document
