"""Availability: the monitor's own ``/health`` probes, as uptime over a window, vs the SLA."""

from __future__ import annotations

from dataclasses import dataclass

from compliance_monitor.checks.base import CheckResult, format_seconds
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition, MetricType
from datapact_common.thresholds import Percentage


@dataclass(frozen=True)
class Probe:
    """One ``GET {endpoint}/health``."""

    endpoint: str
    ok: bool
    status_code: int | None = None
    error: str | None = None
    latency_ms: float | None = None

    def describe(self) -> str:
        if self.ok or (
            self.status_code is not None and self.error in (None, f"HTTP {self.status_code}")
        ):
            return f"answered {self.status_code}"
        return self.error or "no answer"


@dataclass(frozen=True)
class Uptime:
    """Probe tally over the window (the current probe included)."""

    ok: int
    total: int
    window_seconds: float

    @property
    def fraction(self) -> float:
        return self.ok / self.total if self.total else 0.0


def check_availability(contract: ContractDefinition, probe: Probe, uptime: Uptime) -> CheckResult:
    sla = contract.quality_metric(MetricType.AVAILABILITY)
    threshold = sla.parsed_threshold() if sla else None
    assert threshold is None or isinstance(threshold, Percentage)
    window = format_seconds(uptime.window_seconds)
    expected = "/health answers 2xx" + (
        f" and uptime at least {threshold} over {window}" if threshold else ""
    )
    found = (
        f"/health {probe.describe()}; uptime {uptime.fraction * 100:.2f}% "
        f"({uptime.ok} of {uptime.total} probes over {window})"
    )
    details = {
        "endpoint": probe.endpoint,
        "expected": expected,
        "found": found,
        "probe": {
            "ok": probe.ok,
            "status_code": probe.status_code,
            "error": probe.error,
            "latency_ms": probe.latency_ms,
        },
        "uptime": round(uptime.fraction * 100, 4),
        "probes_ok": uptime.ok,
        "probes_total": uptime.total,
        "window_seconds": uptime.window_seconds,
        "threshold": str(threshold) if threshold else None,
    }
    if not probe.ok:
        message = f"{probe.endpoint}/health {probe.describe()}"
        return CheckResult(CheckType.AVAILABILITY, CheckStatus.FAIL, message, details)
    if threshold is not None and uptime.ok * 100 + 1e-9 < threshold.value * uptime.total:
        message = (
            f"uptime {uptime.fraction * 100:.2f}% over {window} is below the SLA's {threshold}"
        )
        return CheckResult(CheckType.AVAILABILITY, CheckStatus.FAIL, message, details)
    return CheckResult(CheckType.AVAILABILITY, CheckStatus.PASS, found, details)
