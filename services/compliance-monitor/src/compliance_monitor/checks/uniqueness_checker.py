"""Uniqueness: primary-key and ``unique`` fields must hold no duplicate values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance_monitor.checks.base import CheckResult, CheckType, percent
from compliance_monitor.checks.quality_common import EPSILON, field_result, number
from datapact_common.contract_schema import ContractDefinition, ContractField, MetricType
from datapact_common.thresholds import Percentage


def check_uniqueness(
    contract: ContractDefinition, dataset: Mapping[str, Any]
) -> CheckResult | None:
    """None when the contract declares no unique field."""
    sla = contract.quality_metric(MetricType.UNIQUENESS)
    threshold = sla.parsed_threshold() if sla else None
    assert threshold is None or isinstance(threshold, Percentage)
    unique_fields = single_unique_fields(contract)
    if not unique_fields:
        return None
    measured = dataset.get("uniqueness")
    measured = measured if isinstance(measured, Mapping) else {}
    fields = {f.name: _verdict(f, measured.get(f.name), threshold) for f in unique_fields}
    extra: dict[str, Any] = {
        "row_count": dataset.get("row_count"),
        "threshold": str(threshold) if threshold else None,
        "expected": "no duplicate values in primary-key and unique fields",
    }
    return field_result(CheckType.UNIQUENESS, fields, extra, "uniqueness")


def single_unique_fields(contract: ContractDefinition) -> list[ContractField]:
    """Fields whose values must be unique on their own.

    A column of a composite primary key repeats by design (only the combination is
    unique), so it counts only when it is also declared ``unique`` itself.
    """
    primary = [f for f in contract.schema_fields if f.is_primary_key]
    composite = len(primary) > 1
    return [f for f in contract.schema_fields if f.unique or (f.is_primary_key and not composite)]


def _verdict(field: ContractField, entry: Any, threshold: Percentage | None) -> dict[str, Any]:
    name = field.name
    kind = "primary key" if field.is_primary_key else "unique field"
    expected = f"no duplicates ({kind})"
    if not isinstance(entry, Mapping):
        return {
            "status": "error",
            "expected": expected,
            "found": "not measured",
            "message": f"'{name}': the data service did not measure uniqueness",
        }
    duplicates = number(entry.get("duplicates"))
    ratio = number(entry.get("ratio"))
    if duplicates is None and ratio is None:
        return {
            "status": "error",
            "expected": expected,
            "found": "not measured",
            "message": f"'{name}': the data service did not measure uniqueness",
        }
    found = f"{int(duplicates or 0)} duplicate value(s)"
    if ratio is not None:
        found += f", {percent(ratio)} distinct"
    below_sla = threshold is not None and ratio is not None and ratio + EPSILON < threshold.fraction
    if (duplicates or 0) > 0 or below_sla:
        return {
            "status": "fail",
            "expected": expected,
            "found": found,
            "duplicates": duplicates,
            "ratio": ratio,
            "message": f"{kind} '{name}' has {found}",
        }
    return {
        "status": "pass",
        "expected": expected,
        "found": found,
        "duplicates": duplicates,
        "ratio": ratio,
        "message": "",
    }
