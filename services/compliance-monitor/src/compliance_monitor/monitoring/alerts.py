"""Alert on state change only (docs/design.md §5).

Per (contract, check type) — per (contract, rule) for validity — an alert is ``open`` or
``closed``. A failing result opens it
(``schema_drift``/``quality_breach``/``availability_breach``), a passing (or warning) result
closes it (``compliance_recovered``); a result that keeps the state sends nothing. An
``error`` (the check could not be carried out) says nothing about the state and leaves it.
When Redis has no state for a pair (first run, or Redis was emptied), the latest status the
contract-service recorded stands in, so a restart never re-alerts a known failure.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from compliance_monitor.checks.base import CheckResult
from compliance_monitor.monitoring.targets import Target
from compliance_monitor.reporters.events import breach_event, recovery_event
from compliance_monitor.reporters.outbox import Outbox
from compliance_monitor.state import MonitorState, Observation, Transition
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import MetricType
from datapact_common.events import EventEnvelope

log = logging.getLogger(__name__)

OPEN = "open"
CLOSED = "closed"
_ALERT_STATE = {CheckStatus.FAIL: OPEN, CheckStatus.PASS: CLOSED, CheckStatus.WARNING: CLOSED}
_RECORDED_STATE = {"fail": OPEN, "pass": CLOSED, "warning": CLOSED}
_SLA_OF_CHECK = {
    CheckType.FRESHNESS: MetricType.FRESHNESS,
    CheckType.COMPLETENESS: MetricType.COMPLETENESS,
    CheckType.UNIQUENESS: MetricType.UNIQUENESS,
    CheckType.AVAILABILITY: MetricType.AVAILABILITY,
    CheckType.VOLUME: MetricType.VOLUME,
}


class AlertPolicy:
    def __init__(self, state: MonitorState, outbox: Outbox) -> None:
        self.state = state
        self.outbox = outbox

    async def observe(self, target: Target, result: CheckResult) -> EventEnvelope | None:
        """Update the alert state; queue and return the event when the state changed."""
        [event] = await self.observe_many([(target, result)])
        return event

    async def observe_many(
        self, observed: Sequence[tuple[Target, CheckResult]]
    ) -> list[EventEnvelope | None]:
        """:meth:`observe` for many results: their alert states in one Redis round trip.

        An event that cannot be queued is logged and left out (``None``), as one result's
        alert never stops the others."""
        wanted: list[tuple[int, Target, CheckResult, str]] = []
        observations: list[Observation] = []
        for position, (target, result) in enumerate(observed):
            new_state = _ALERT_STATE.get(result.status)
            if target.contract is None or new_state is None:
                continue
            recorded = target.last_status(result.check_type, result.rule)
            wanted.append((position, target, result, new_state))
            observations.append(
                Observation(
                    target.id,
                    result.state_key,
                    new_state,
                    fallback=_RECORDED_STATE.get(recorded or "", ""),
                    now_iso=result.checked_at.isoformat(),
                    fields=result.fields,
                )
            )
        transitions = await self.state.transitions(observations)
        events: list[EventEnvelope | None] = [None] * len(observed)
        for (position, target, result, new_state), transition in zip(
            wanted, transitions, strict=True
        ):
            event = _event(target, result, new_state, transition)
            if event is None:
                continue
            try:
                await self.outbox.add(event)
            except Exception:  # a Redis outage must not lose the others' alert states
                log.exception("alert of %s/%s not queued", target.name, result.state_key)
                continue
            events[position] = event
        return events


def _event(
    target: Target, result: CheckResult, new_state: str, transition: Transition
) -> EventEnvelope | None:
    """The event an observed transition calls for, if any."""
    contract = target.contract
    assert contract is not None
    if not _alerts_enabled(target, result.check_type):
        return None
    if not transition.changed:
        if not transition.added_fields:
            return None
        # Still failing, but now also for fields nobody was told about: tell the people
        # who use those (once); the recovery will carry every field of the alert.
        return breach_event(contract, target.id, result, only=transition.added_fields)
    if new_state == OPEN:
        return breach_event(contract, target.id, result)
    return recovery_event(
        contract, target.id, result, transition.previous_since, transition.previous_fields
    )


def _alerts_enabled(target: Target, check_type: CheckType) -> bool:
    """A quality SLA with ``alert_on_breach: false`` is recorded but never alerted."""
    metric = _SLA_OF_CHECK.get(check_type)
    if metric is None or target.contract is None:
        return True
    sla = target.contract.quality_metric(metric)
    return sla is None or sla.alert_on_breach
