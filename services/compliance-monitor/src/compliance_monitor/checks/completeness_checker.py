"""Completeness: every NOT NULL field must be 100% filled; a completeness SLA applies to
each field it names (``fields``), or to each field of the contract when it names none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance_monitor.checks.base import CheckResult, percent
from compliance_monitor.checks.quality_common import EPSILON, field_result, number
from datapact_common.checks import CheckType
from datapact_common.contract_schema import ContractDefinition, ContractField, MetricType
from datapact_common.thresholds import Percentage


def check_completeness(
    contract: ContractDefinition, dataset: Mapping[str, Any]
) -> CheckResult | None:
    """None when nothing is promised (every field nullable and no completeness SLA)."""
    sla = contract.quality_metric(MetricType.COMPLETENESS)
    threshold = sla.parsed_threshold() if sla else None
    assert threshold is None or isinstance(threshold, Percentage)
    measured = dataset.get("completeness")
    measured = measured if isinstance(measured, Mapping) else {}
    row_count = number(dataset.get("row_count"))
    fields: dict[str, dict[str, Any]] = {}
    for contract_field in contract.schema_fields:
        applies = sla is not None and sla.applies_to(contract_field.name)
        required = _required_fraction(contract_field, threshold if applies else None)
        if required is None:
            continue
        fields[contract_field.name] = _verdict(
            contract_field, required, measured.get(contract_field.name), row_count
        )
    if not fields:
        return None
    extra: dict[str, Any] = {
        "row_count": dataset.get("row_count"),
        "threshold": str(threshold) if threshold else None,
        "expected": "NOT NULL fields 100% filled"
        + (f"; {_which(sla.fields)} at least {threshold} filled" if sla and threshold else ""),
    }
    return field_result(CheckType.COMPLETENESS, fields, extra, "completeness")


def _which(fields: list[str] | None) -> str:
    return "every field" if fields is None else ", ".join(fields)


def _required_fraction(field: ContractField, threshold: Percentage | None) -> float | None:
    if not field.nullable:
        return 1.0
    return threshold.fraction if threshold else None


def _verdict(
    field: ContractField, required: float, entry: Any, row_count: float | None
) -> dict[str, Any]:
    name = field.name
    expected = (
        "100% non-null (NOT NULL field)"
        if required >= 1.0
        else f"at least {percent(required)} non-null (completeness SLA)"
    )
    ratio = number(entry.get("ratio")) if isinstance(entry, Mapping) else None
    if ratio is None:
        return {
            "status": "error",
            "expected": expected,
            "found": "not measured",
            "message": f"'{name}': the data service did not measure completeness",
        }
    non_null = number(entry.get("non_null"))
    found = percent(ratio)
    if non_null is not None and row_count is not None:
        found += f" ({int(non_null)} of {int(row_count)} rows non-null)"
    short = (
        non_null < row_count
        if required >= 1.0 and non_null is not None and row_count is not None
        else ratio + EPSILON < required
    )
    if short:
        missing = (
            f"{int(row_count - non_null)} null value(s)"
            if non_null is not None and row_count is not None
            else f"{percent(1 - ratio)} null"
        )
        return {
            "status": "fail",
            "expected": expected,
            "found": found,
            "ratio": ratio,
            "message": f"'{name}' has {missing}; expected {expected}",
        }
    return {"status": "pass", "expected": expected, "found": found, "ratio": ratio, "message": ""}
