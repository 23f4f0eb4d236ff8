"""One dataset's /metrics entry from its plan and its table's measurements."""

from __future__ import annotations

from datapact_agent.checks.plan import DatasetPlan
from datapact_agent.checks.rules import JUDGED_KINDS, Rule
from datapact_agent.checks.runner import TableResult
from datapact_agent.metrics.schemas import (
    Completeness,
    DatasetMetrics,
    Freshness,
    RuleCheck,
    Uniqueness,
)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def rule_check(rule: Rule, result: TableResult) -> RuleCheck:
    outcome = result.outcome(rule)
    passed = outcome.passed
    if rule.kind not in JUDGED_KINDS and outcome.violations is not None and not rule.skipped:
        passed = outcome.violations == 0
    return RuleCheck(
        id=rule.id,
        field=rule.field,
        fields=list(rule.fields or rule.distinct or ()),
        rule=rule.kind.value,
        value=rule.value,
        violations=None if rule.skipped else outcome.violations,
        samples=outcome.samples,
        error=None if rule.skipped or outcome.error is None else outcome.error,
        skipped=rule.skipped,
        passed=None if rule.skipped or outcome.error else passed,
        measured=outcome.measured,
        found=outcome.found,
    )


def dataset_report(
    dataset: DatasetPlan, result: TableResult, sample_key: list[str] | None
) -> DatasetMetrics:
    errors = list(dataset.errors)
    if result.error:
        errors.append(f"metrics query on table '{dataset.table}' failed: {result.error}")
    rows = result.row_count
    completeness: dict[str, Completeness | None] = {}
    for name in dataset.contract.field_names:
        non_null = result.non_null.get(name)
        completeness[name] = (
            None
            if rows is None or non_null is None
            else Completeness(non_null=non_null, ratio=_ratio(non_null, rows))
        )
    uniqueness: dict[str, Uniqueness | None] = {}
    for name in dataset.unique_fields:
        distinct = result.distinct.get(name)
        non_null = result.non_null.get(name)
        uniqueness[name] = (
            None
            if distinct is None or non_null is None
            else Uniqueness(
                distinct=distinct, duplicates=non_null - distinct, ratio=_ratio(distinct, non_null)
            )
        )
    if dataset.composite_fields:
        key = dataset.composite_fields
        distinct = result.composite_distinct.get(key)
        uniqueness[f"({', '.join(key)})"] = (
            None
            if distinct is None or rows is None
            else Uniqueness(
                distinct=distinct, duplicates=rows - distinct, ratio=_ratio(distinct, rows)
            )
        )
    latest = result.latest.get(dataset.freshness_column)
    seconds = (
        (result.database_now - latest).total_seconds()
        if latest is not None and result.database_now is not None
        else None
    )
    return DatasetMetrics(
        table=dataset.table,
        row_count=rows,
        freshness=Freshness(
            column=dataset.freshness_column, last_update=latest, seconds_since_update=seconds
        ),
        completeness=completeness,
        uniqueness=uniqueness,
        errors=errors,
        checks=[rule_check(rule, result) for rule in dataset.rules],
        sample_key=sample_key,
        queries=result.queries,
        seconds=round(result.seconds, 6),
    )
