"""Monitor → real notification-service (API + Celery worker) → SMTP: only the people whose
fields broke are told, once, and again when it recovers.

Marked ``e2e``: run by `make e2e`, not `make test` (the whole-platform scenario, e2e/
step 2-3, proves the same path; docs/e2e.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from compliance_monitor.config import Settings
from compliance_monitor.monitoring.sweep import SweepKind
from datapact_testing.polling import eventually
from datapact_testing.postgres import drop_database, migrated_database
from datapact_testing.processes import ServiceProcess, celery_worker_process, uvicorn_process
from datapact_testing.redis_urls import suite_redis_url
from datapact_testing.smtp import SmtpSink
from datapact_testing.tokens import admin_token, bearer

NOTIFICATION_DIR = Path(__file__).resolve().parents[2] / "notification-service"
REDIS_URL = suite_redis_url(12)
pytestmark = pytest.mark.e2e


@pytest.fixture
def notification_service(
    contract_service: ServiceProcess, redis_db: Any, tmp_path: Path
) -> Iterator[tuple[ServiceProcess, SmtpSink]]:
    url = migrated_database(NOTIFICATION_DIR, "test_monitor_notifications")
    mailbox = SmtpSink().start()
    env = {
        "ENVIRONMENT": "test",
        "NOTIFICATION_DATABASE_URL": url,
        "NOTIFICATION_REDIS_URL": REDIS_URL,
        "NOTIFICATION_CELERY_QUEUE": "notifications-monitor-test",
        "CONTRACT_SERVICE_URL": contract_service.base_url or "",
        "NOTIFICATION_SMTP_HOST": "127.0.0.1",
        "NOTIFICATION_SMTP_PORT": str(mailbox.port),
        "NOTIFICATION_CONTRACT_CACHE_SECONDS": "0",
        "SLACK_WEBHOOK_URL": "",
    }
    api = uvicorn_process(
        "notification-api", "notification_service.main:app", env=env, cwd=tmp_path
    )
    worker = celery_worker_process(
        "notification-worker",
        "notification_service.celery_app.celery_app",
        env=env,
        queues=["notifications-monitor-test"],
        cwd=tmp_path,
    )
    try:
        api.start()
        worker.start()
        yield api, mailbox
    finally:
        worker.stop()
        api.stop()
        mailbox.stop()
        drop_database(url.rsplit("/", 1)[1])


def settled(api: ServiceProcess, contract: str, count: int) -> list[dict[str, Any]]:
    last = ""

    def done() -> list[dict[str, Any]] | None:
        nonlocal last
        # as an admin: recipients' addresses are masked for readers who may not see them
        response = httpx.get(
            f"{api.base_url}/api/v1/notifications",
            params={"contract": contract, "limit": 500},
            headers=bearer(admin_token()),
        )
        last = response.text
        items: list[dict[str, Any]] = (
            response.json()["notifications"] if response.status_code == 200 else []
        )
        if len(items) >= count and all(n["status"] not in ("pending", "sending") for n in items):
            return items
        return None

    return eventually(
        done, f"{count} settled notification(s)", within=60, interval=0.2, diagnose=lambda: last
    )


async def test_drift_emails_the_publisher_and_the_subscribers_using_the_field(
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    notification_service: tuple[ServiceProcess, SmtpSink],
    settings: Settings,
    sweep: Callable[..., Any],
    run_sql: Callable[[str, str], None],
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
    # rule (docs/notifications.md, "Flow", step 2).
    assert {n["recipient"] for n in recovered if n["status"] == "sent"} >= {
        "shop-data@example.com",
        "marketing@example.com",
    }
