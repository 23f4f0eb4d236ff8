"""Uniqueness: primary keys and ``unique`` fields must hold no duplicate values.

A single-field primary key and every ``unique`` field are judged on their own. A primary
key over several fields is judged as a whole: ``/metrics`` reports it under ``"(a, b)"``;
its columns repeat by design and are not judged one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compliance_monitor.checks.base import CheckResult, percent
from compliance_monitor.checks.quality_common import EPSILON, field_result, number
from datapact_common.checks import CheckType
from datapact_common.contract_schema import ContractDefinition, MetricType
from datapact_common.thresholds import Percentage


@dataclass(frozen=True)
class UniqueKey:
    """Fields whose values (together) must not repeat."""

    fields: tuple[str, ...]
    primary: bool

    @property
    def label(self) -> str:
        return self.fields[0] if len(self.fields) == 1 else f"({', '.join(self.fields)})"


def unique_keys(contract: ContractDefinition) -> list[UniqueKey]:
    primary = tuple(f.name for f in contract.schema_fields if f.is_primary_key)
    keys = [UniqueKey(primary, True)] if len(primary) > 1 else []
    for field in contract.schema_fields:
        if field.unique or (field.is_primary_key and len(primary) == 1):
            keys.append(UniqueKey((field.name,), field.is_primary_key))
    return keys


def check_uniqueness(
    contract: ContractDefinition, dataset: Mapping[str, Any]
) -> CheckResult | None:
    """None when the contract declares no primary key and no unique field."""
    sla = contract.quality_metric(MetricType.UNIQUENESS)
    threshold = sla.parsed_threshold() if sla else None
    assert threshold is None or isinstance(threshold, Percentage)
    keys = unique_keys(contract)
    if not keys:
        return None
    measured = dataset.get("uniqueness")
    measured = measured if isinstance(measured, Mapping) else {}
    verdicts = {
        key.label: _verdict(
            key,
            _measured(measured, key),
            threshold if sla is not None and all(sla.applies_to(f) for f in key.fields) else None,
        )
        for key in keys
    }
    extra: dict[str, Any] = {
        "row_count": dataset.get("row_count"),
        "threshold": str(threshold) if threshold else None,
        "expected": "no duplicate values in primary keys and unique fields",
    }
    result = field_result(CheckType.UNIQUENESS, verdicts, extra, "uniqueness")
    by_label = {key.label: key for key in keys}
    result.fields = sorted({f for label in result.fields for f in by_label[label].fields})
    return result


def _measured(measured: Mapping[str, Any], key: UniqueKey) -> Any:
    """The entry of ``key``; a composite key may be reported with its columns in any order."""
    if key.label in measured:
        return measured[key.label]
    if len(key.fields) > 1:
        wanted = frozenset(key.fields)
        for label, entry in measured.items():
            names = str(label).strip("()").split(",")
            if frozenset(n.strip() for n in names) == wanted:
                return entry
    return None


def _verdict(key: UniqueKey, entry: Any, threshold: Percentage | None) -> dict[str, Any]:
    name = key.label
    kind = "primary key" if key.primary else "unique field"
    expected = f"no duplicates ({kind})"
    duplicates = number(entry.get("duplicates")) if isinstance(entry, Mapping) else None
    ratio = number(entry.get("ratio")) if isinstance(entry, Mapping) else None
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
    status = "fail" if (duplicates or 0) > 0 or below_sla else "pass"
    return {
        "status": status,
        "expected": expected,
        "found": found,
        "duplicates": duplicates,
        "ratio": ratio,
        "message": f"{kind} '{name}' has {found}" if status == "fail" else "",
    }
