"""Freshness: time since the last update (the column the SLA names) against the SLA."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from compliance_monitor.checks.base import CheckResult, format_seconds
from compliance_monitor.checks.quality_common import dataset_errors, number
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition, MetricType
from datapact_common.thresholds import Duration
from datapact_common.timeutil import ensure_aware, utcnow

DEFAULT_FRESHNESS_COLUMN = "updated_at"


def check_freshness(
    contract: ContractDefinition, dataset: Mapping[str, Any], now: datetime | None = None
) -> CheckResult | None:
    """None when the contract promises no freshness."""
    sla = contract.quality_metric(MetricType.FRESHNESS)
    if sla is None:
        return None
    limit = sla.parsed_threshold()
    assert isinstance(limit, Duration)
    column = sla.measurement_method or DEFAULT_FRESHNESS_COLUMN
    expected = f"last update within {limit} (column '{column}')"
    details: dict[str, Any] = {
        "column": column,
        "expected": expected,
        "threshold_seconds": limit.seconds,
        "row_count": dataset.get("row_count"),
    }
    freshness = dataset.get("freshness")
    if not isinstance(freshness, Mapping):
        message = "the data service reports no freshness for this dataset"
        return CheckResult(
            CheckType.FRESHNESS, CheckStatus.ERROR, message, {**details, "error": message}
        )
    details["column"] = str(freshness.get("column") or column)
    details["last_update"] = freshness.get("last_update")
    age = _age_seconds(freshness, now)
    if age is None:
        if dataset.get("row_count") == 0:
            message = f"the table is empty: no update within {limit}"
            details["found"] = "no rows"
            return CheckResult(CheckType.FRESHNESS, CheckStatus.FAIL, message, details)
        problems = dataset_errors(dataset)
        message = f"freshness column '{details['column']}' could not be measured" + (
            f": {'; '.join(problems)}" if problems else ""
        )
        return CheckResult(
            CheckType.FRESHNESS, CheckStatus.ERROR, message, {**details, "error": message}
        )
    details["seconds_since_update"] = age
    details["found"] = f"last update {format_seconds(age)} ago"
    if age > limit.seconds:
        message = f"data is stale: last update {format_seconds(age)} ago, the SLA allows {limit}"
        return CheckResult(CheckType.FRESHNESS, CheckStatus.FAIL, message, details)
    message = f"last update {format_seconds(age)} ago, within {limit}"
    return CheckResult(CheckType.FRESHNESS, CheckStatus.PASS, message, details)


def _age_seconds(freshness: Mapping[str, Any], now: datetime | None) -> float | None:
    reported = number(freshness.get("seconds_since_update"))
    if reported is not None:
        return max(reported, 0.0)
    last = freshness.get("last_update")
    if not isinstance(last, str):
        return None
    try:
        moment = ensure_aware(datetime.fromisoformat(last))
    except ValueError:
        return None
    return max(((now or utcnow()) - moment).total_seconds(), 0.0)
