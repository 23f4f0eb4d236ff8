"""Volume: the dataset's row count (``row_count`` of ``/metrics``, every protocol) within
the volume SLA's range, e.g. ``1000..50000``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance_monitor.checks.base import CheckResult, error_result
from compliance_monitor.checks.quality_common import number
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition, MetricType
from datapact_common.thresholds import RowRange


def check_volume(contract: ContractDefinition, dataset: Mapping[str, Any]) -> CheckResult | None:
    """None without a volume SLA."""
    sla = contract.quality_metric(MetricType.VOLUME)
    if sla is None:
        return None
    expected = sla.parsed_threshold()
    assert isinstance(expected, RowRange)
    rows = number(dataset.get("row_count"))
    if rows is None or rows < 0 or rows != int(rows):
        return error_result(
            CheckType.VOLUME,
            "the data service did not measure the row count",
            expected=str(expected),
        )
    count = int(rows)
    details = {"expected": str(expected), "found": f"{count} rows", "row_count": count}
    if expected.holds(count):
        return CheckResult(CheckType.VOLUME, CheckStatus.PASS, f"{count} rows", details)
    side = (
        f"below the minimum {expected.minimum}"
        if expected.minimum is not None and count < expected.minimum
        else f"above the maximum {expected.maximum}"
    )
    summary = f"{count} rows, {side} (volume SLA {expected})"
    return CheckResult(CheckType.VOLUME, CheckStatus.FAIL, summary, details)
