"""A real contract-worker (Celery, queue `contracts`, Redis DB 10, embedded beat) relays the
outbox to the notification service once it is back up; nothing is lost meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from datapact_common.events import EventEnvelope
from datapact_testing.http_sink import HttpSink
from datapact_testing.polling import eventually_async
from datapact_testing.processes import ServiceProcess, celery_worker_process


@pytest.fixture
def notification_sink() -> Iterator[HttpSink]:
    sink = HttpSink()  # port reserved, nothing listening yet: the service is "down"
    yield sink
    sink.stop()


@pytest.fixture
def worker(
    notification_sink: HttpSink,
    clean_db: str,
    flush_test_redis: None,
    process_env: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> Iterator[ServiceProcess]:
    env = process_env(
        NOTIFICATION_SERVICE_URL=notification_sink.url,
        OUTBOX_RELAY_INTERVAL_SECONDS="1",
        OUTBOX_MAX_BACKOFF_SECONDS="1",
    )
    process = celery_worker_process(
        "contract-worker",
        "contract_service.worker.celery_app",
        env=env,
        queues=["contracts"],
        beat=True,
        concurrency=1,
        cwd=tmp_path,  # the beat schedule file lands here
    )
    with process:
        yield process


async def wait_until(
    check: Callable[[], Any], what: str, process: ServiceProcess, seconds: float = 45
) -> Any:
    def alive_and(check_value: Callable[[], Any] = check) -> Any:
        assert process.running, f"worker died:\n{process.logs()}"
        return check_value()

    return await eventually_async(
        alive_and, what, within=seconds, interval=0.1, diagnose=process.logs
    )


async def test_worker_delivers_events_after_the_notification_service_comes_back(
    client: httpx.AsyncClient,
    sample_contract: dict[str, Any],
    create: Any,
    commerce: dict[str, str],
    sql: Any,
    worker: ServiceProcess,
    notification_sink: HttpSink,
) -> None:
    created = await create(sample_contract)
    for version in ("1.1.0", "1.2.0"):
        document = dict(sample_contract, version=version, description=f"release {version}")
        response = await client.put(
            f"/api/v1/contracts/{created['id']}", json=document, headers=commerce
        )
        assert response.status_code == 200
    await client.delete(f"/api/v1/contracts/{created['id']}", headers=commerce)

    # the worker tries while the notification service is down, and keeps the events
    await wait_until(
        lambda: sql("SELECT count(*) FROM event_outbox WHERE attempts > 0")[0][0] > 0,
        "a failed delivery attempt",
        worker,
    )
    assert sql("SELECT count(*) FROM event_outbox WHERE delivered_at IS NOT NULL") == [(0,)]

    notification_sink.start()
    await wait_until(
        lambda: sql("SELECT count(*) FROM event_outbox WHERE delivered_at IS NULL") == [(0,)],
        "every outbox row delivered",
        worker,
    )
    events = [EventEnvelope.model_validate(r.json()) for r in notification_sink.received()]
    stored = sql("SELECT id, event_type FROM event_outbox ORDER BY created_at")
    assert {e.id for e in events} == {row[0] for row in stored}  # at least once, same ids
    assert sorted({(e.type.value, e.contract_version) for e in events}) == [
        ("contract_updated", "1.1.0"),
        ("contract_updated", "1.2.0"),
        ("deprecation_warning", "1.3.0"),
    ]
    assert all(r.path == "/api/v1/events" for r in notification_sink.received())
    assert all(
        r.headers["Authorization"].startswith("Bearer ") for r in notification_sink.received()
    )
