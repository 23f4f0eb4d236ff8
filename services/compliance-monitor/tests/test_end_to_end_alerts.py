"""Monitor → real notification-service (API + Celery worker) → SMTP: only the people whose
fields broke are told, once, and again when it recovers.

Marked ``e2e``: run by `make e2e`, not `make test` (the whole-platform scenario, e2e/
step 2-3, proves the same path; docs/e2e.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from compliance_monitor.config import Settings
from compliance_monitor.monitoring.sweep import SweepKind
from datapact_testing.processes import ServiceProcess
from datapact_testing.smtp import SmtpSink

pytestmark = pytest.mark.e2e


async def test_drift_emails_the_publisher_and_the_subscribers_using_the_field(
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    notification_service: tuple[ServiceProcess, SmtpSink],
    settings: Settings,
    sweep: Callable[..., Any],
    run_sql: Callable[[str, str], None],
    settled: Callable[..., list[dict[str, Any]]],
) -> None:
    api, mailbox = notification_service
    real = settings.model_copy(update={"notification_service_url": api.base_url})
    for document in shop_contracts(shop_service.base_url or ""):
        if document["name"] == "shop_customers":
            for subscriber in document["subscribers"]:
                subscriber["contact_email"] = f"{subscriber['team']}@example.com"
        registry.register(document)
    await sweep(SweepKind.SCHEMA, real)

    # marketing uses email; analytics does not.
    run_sql(shop_database, "ALTER TABLE customers DROP COLUMN email")
    drift = await sweep(SweepKind.SCHEMA, real)
    assert (drift["events"], drift["events_delivered"]) == (1, 1)
    again = await sweep(SweepKind.SCHEMA, real)
    assert again["events"] == 0

    mailbox.wait_for(2)
    sent = settled(api, "shop_customers", 2)
    assert {n["recipient"] for n in sent if n["status"] == "sent"} == {
        "shop-data@example.com",
        "marketing@example.com",
    }
    subjects = [m["Subject"] for m in mailbox.messages]
    assert all("shop_customers" in s for s in subjects), subjects

    run_sql(
        shop_database, "ALTER TABLE customers ADD COLUMN email varchar(255) NOT NULL DEFAULT 'x'"
    )
    run_sql(shop_database, "UPDATE customers SET email = 'c' || id || '@example.com'")
    run_sql(shop_database, "ALTER TABLE customers ALTER COLUMN email DROP DEFAULT")
    run_sql(shop_database, "ALTER TABLE customers ADD UNIQUE (email)")
    back = await sweep(SweepKind.SCHEMA, real)
    assert (back["events"], back["events_delivered"]) == (1, 1)
    mailbox.wait_for(4)
    recovered = [
        n for n in settled(api, "shop_customers", 4) if n["event_type"] == "compliance_recovered"
    ]
    # The recovery names the same fields; who hears of a recovery is the notification-service's
    # rule (ALERTING.md filters by fields for drift and breaking changes only).
    assert {n["recipient"] for n in recovered if n["status"] == "sent"} >= {
        "shop-data@example.com",
        "marketing@example.com",
    }
