"""The event outbox in Redis: kept while the notification-service is away, dropped when it
refuses an envelope for good, sent once it answers."""

from __future__ import annotations

from collections.abc import Callable

from compliance_monitor.checks import CheckResult
from compliance_monitor.monitoring.sweep import Monitor
from compliance_monitor.reporters.events import breach_event
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.contract_schema import ContractDefinition
from datapact_testing.http_sink import HttpSink


def failing_schema() -> CheckResult:
    return CheckResult(
        CheckType.SCHEMA, CheckStatus.FAIL, "column 'x' is missing", {"errors": ["x"]}, ["x"]
    )


async def test_outbox_keeps_retries_and_drops(
    monitor: Monitor, notifications: HttpSink, make_contract: Callable[..., ContractDefinition]
) -> None:
    event = breach_event(make_contract(), "c-1", failing_schema())
    await monitor.outbox.add(event)

    notifications.status = 503
    assert await monitor.outbox.flush() == 0
    assert [e["id"] for e in await monitor.state.pending_events()] == [str(event.id)]

    notifications.status = 202
    assert await monitor.outbox.flush() == 1
    assert await monitor.state.pending_events() == []
    [received] = notifications.received()
    assert received.json()["id"] == str(event.id)
    assert received.headers["Authorization"].startswith("Bearer ")

    refused = breach_event(make_contract(), "c-2", failing_schema())
    await monitor.outbox.add(refused)
    notifications.status = 422
    assert await monitor.outbox.flush() == 0
    assert await monitor.state.pending_events() == []  # an envelope it refuses is not retried


async def test_an_unreachable_notification_service_keeps_events(
    monitor: Monitor, notifications: HttpSink, make_contract: Callable[..., ContractDefinition]
) -> None:
    notifications.stop()
    await monitor.outbox.add(breach_event(make_contract(), "c-3", failing_schema()))
    assert await monitor.outbox.flush() == 0
    assert len(await monitor.state.pending_events()) == 1
