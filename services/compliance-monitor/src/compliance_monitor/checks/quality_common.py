"""Helpers shared by the quality checks (they read a dataset entry of ``/metrics``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from compliance_monitor.checks.base import CheckResult
from datapact_common.checks import CheckStatus, CheckType, worst
from datapact_common.contract_schema import ContractDefinition

# Ratios are fractions computed by the service; allow for float representation only.
EPSILON = 1e-9


def dataset_metrics(metrics: Mapping[str, Any], contract: ContractDefinition) -> Any:
    """The ``/metrics`` entry of a contract (keyed by contract name), or None."""
    datasets = metrics.get("datasets")
    if not isinstance(datasets, Mapping):
        return None
    entry = datasets.get(contract.name)
    return entry if isinstance(entry, Mapping) else None


def number(value: Any) -> float | None:
    """A finite JSON number, else None (``true``, ``"1"``, ``1e999`` are not measurements)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        result = float(value)
    except OverflowError:  # an integer with hundreds of digits
        return None
    return result if math.isfinite(result) else None


def dataset_errors(dataset: Mapping[str, Any]) -> list[str]:
    errors = dataset.get("errors")
    return [str(e) for e in errors] if isinstance(errors, list) else []


def field_result(
    check_type: CheckType,
    fields: dict[str, dict[str, Any]],
    extra: dict[str, Any],
    what: str,
) -> CheckResult:
    """Fold per-field verdicts (``{"status", "expected", "found", "message"}``) into a result."""
    statuses = [CheckStatus(entry["status"]) for entry in fields.values()]
    status = worst(statuses)
    failing = sorted(name for name, entry in fields.items() if entry["status"] == "fail")
    unmeasured = sorted(name for name, entry in fields.items() if entry["status"] == "error")
    details = {**extra, "fields": fields}
    if status is CheckStatus.FAIL:
        messages = [fields[name]["message"] for name in failing]
        summary = f"{what} breached for {len(failing)} field(s): " + "; ".join(messages[:5])
        return CheckResult(check_type, status, summary, details, failing)
    if status is CheckStatus.ERROR:
        messages = [fields[name]["message"] for name in unmeasured]
        summary = f"{what} could not be measured for {len(unmeasured)} field(s): " + "; ".join(
            messages[:5]
        )
        return CheckResult(check_type, status, summary, details)
    return CheckResult(check_type, status, f"{what} met for all {len(fields)} field(s)", details)
