"""Availability: the current probe and the uptime over the window, against the SLA."""

from __future__ import annotations

from collections.abc import Callable

from compliance_monitor.checks import check_availability
from compliance_monitor.checks.availability_checker import Probe, Uptime
from datapact_common.checks import CheckStatus
from datapact_common.contract_schema import ContractDefinition

MakeContract = Callable[..., ContractDefinition]
SLA = [{"metric_type": "availability", "threshold": "99.9%"}]
UP = Probe("http://svc", ok=True, status_code=200, latency_ms=3.0)
DOWN = Probe("http://svc", ok=False, error="connection refused")


def test_up_and_within_sla_passes(make_contract: MakeContract) -> None:
    result = check_availability(make_contract(quality=SLA), UP, Uptime(1440, 1440, 86400))
    assert result.status is CheckStatus.PASS
    assert result.details["uptime"] == 100.0


def test_current_probe_failing_fails_whatever_the_uptime(make_contract: MakeContract) -> None:
    result = check_availability(make_contract(quality=SLA), DOWN, Uptime(1439, 1440, 86400))
    assert result.status is CheckStatus.FAIL
    assert "connection refused" in result.summary
    assert result.details["probe"]["error"] == "connection refused"


def test_uptime_below_the_sla_fails_even_when_up_now(make_contract: MakeContract) -> None:
    result = check_availability(make_contract(quality=SLA), UP, Uptime(1437, 1440, 86400))
    assert result.status is CheckStatus.FAIL
    assert "99.79%" in result.summary and "99.9%" in result.summary


def test_uptime_exactly_at_the_sla_passes(make_contract: MakeContract) -> None:
    result = check_availability(make_contract(quality=SLA), UP, Uptime(999, 1000, 86400))
    assert result.status is CheckStatus.PASS


def test_without_an_sla_only_the_probe_counts(make_contract: MakeContract) -> None:
    assert check_availability(make_contract(quality=[]), UP, Uptime(1, 2, 60)).status is (
        CheckStatus.PASS
    )
    bad = Probe("http://svc", ok=False, status_code=503)
    result = check_availability(make_contract(quality=[]), bad, Uptime(1, 2, 60))
    assert result.status is CheckStatus.FAIL
    assert "503" in result.summary


def test_a_short_history_is_judged_on_the_probes_it_has(make_contract: MakeContract) -> None:
    """Two restarts on a day-old contract: 66 of 68 probes (97.06%) against a 99% SLA over
    24 h at one probe a minute (1,440 probes, 14.4 failures allowed): not a breach yet."""
    sla = make_contract(quality=[{"metric_type": "availability", "threshold": "99%"}])
    young = Uptime(66, 68, 86400, expected=1440, span_seconds=68 * 60)
    result = check_availability(sla, UP, young)
    assert result.status is CheckStatus.PASS
    assert "66 of 68 probes over 1 h 08 min of the 24 h 00 min window" in result.summary
    # ... but more failures than the whole window allows is a breach already
    result = check_availability(sla, UP, Uptime(50, 68, 86400, expected=1440, span_seconds=4080))
    assert result.status is CheckStatus.FAIL
    assert "18 failed probes, 14.4 allowed over 24 h 00 min" in result.summary
    # a full window is the plain percentage
    full = Uptime(1420, 1440, 86400, expected=1440, span_seconds=86400)
    assert check_availability(sla, UP, full).status is CheckStatus.FAIL
