"""Availability: the monitor's own ``/health`` probes, as uptime over a window, vs the SLA.

A short history is judged on the probes it has: the failed probes are compared with the
failures the SLA allows over the whole window (``(1 - SLA) x`` the probes a full window
holds), so two failed probes of a day-old contract are not "97% uptime" against a 99% SLA
while the window can still absorb them. Once the window is full, this is the plain uptime
percentage. A failing current probe fails whatever the history.
"""

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
    # Probes a full window holds (window / probe interval); 0: judge on ``total`` alone.
    expected: float = 0.0
    # Time the probes cover (oldest probe in the window to now); None: the whole window.
    span_seconds: float | None = None

    @property
    def fraction(self) -> float:
        return self.ok / self.total if self.total else 0.0

    @property
    def failed(self) -> int:
        return self.total - self.ok

    def allowed_failures(self, threshold: Percentage) -> float:
        """Failed probes the SLA allows over the whole window."""
        return (100 - threshold.value) / 100 * max(self.total, self.expected)


def check_availability(contract: ContractDefinition, probe: Probe, uptime: Uptime) -> CheckResult:
    sla = contract.quality_metric(MetricType.AVAILABILITY)
    threshold = sla.parsed_threshold() if sla else None
    assert threshold is None or isinstance(threshold, Percentage)
    window = format_seconds(uptime.window_seconds)
    expected = "/health answers 2xx" + (
        f" and uptime at least {threshold} over {window}" if threshold else ""
    )
    covered = window
    if uptime.span_seconds is not None and uptime.span_seconds < uptime.window_seconds:
        covered = f"{format_seconds(uptime.span_seconds)} of the {window} window"
    found = (
        f"/health {probe.describe()}; uptime {uptime.fraction * 100:.2f}% "
        f"({uptime.ok} of {uptime.total} probes over {covered})"
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
        "span_seconds": uptime.span_seconds,
        "threshold": str(threshold) if threshold else None,
    }
    if not probe.ok:
        message = f"{probe.endpoint}/health {probe.describe()}"
        return CheckResult(CheckType.AVAILABILITY, CheckStatus.FAIL, message, details)
    if threshold is not None:
        allowed = uptime.allowed_failures(threshold)
        details["failures_allowed"] = round(allowed, 3)
        if uptime.failed > allowed + 1e-9:
            message = (
                f"uptime {uptime.fraction * 100:.2f}% over {covered} is below the SLA's "
                f"{threshold}: {uptime.failed} failed probes, {allowed:.1f} allowed over {window}"
            )
            return CheckResult(CheckType.AVAILABILITY, CheckStatus.FAIL, message, details)
    return CheckResult(CheckType.AVAILABILITY, CheckStatus.PASS, found, details)
