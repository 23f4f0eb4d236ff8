"""A real Celery worker with its embedded beat runs the scheduled sweeps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

from datapact_testing.polling import eventually
from datapact_testing.processes import ServiceProcess, celery_worker_process


def wait_until(condition: Callable[[], bool], process: ServiceProcess, timeout: float = 90) -> None:
    def alive_and() -> bool:
        assert process.running, process.logs()
        return condition()

    eventually(alive_and, "the worker's sweep", within=timeout, interval=0.2, diagnose=process.logs)


def test_worker_and_beat_sweep_on_schedule_and_record(
    registry: Any,
    shop_service: ServiceProcess,
    shop_contracts: Any,
    process_env: Callable[..., dict[str, str]],
    redis_db: redis.Redis,
    tmp_path: Path,
) -> None:
    ids = {d["name"]: registry.register(d) for d in shop_contracts(shop_service.base_url or "")}
    env = process_env(
        MONITOR_SCHEMA_INTERVAL_SECONDS="1",
        MONITOR_QUALITY_INTERVAL_SECONDS="1",
        MONITOR_AVAILABILITY_INTERVAL_SECONDS="1",
    )
    worker = celery_worker_process(
        "monitor-worker",
        "compliance_monitor.celery_app.celery_app",
        env=env,
        queues=["monitor"],
        concurrency=2,
        beat=True,
        cwd=tmp_path,
    )
    with worker:

        def recorded() -> bool:
            return all(
                registry.checks(contract_id, check_type)
                for contract_id in ids.values()
                for check_type in ("schema", "freshness", "availability")
            )

        wait_until(recorded, worker)
        # Beat keeps going: more availability probes arrive.
        customers = ids["shop_customers"]
        wait_until(lambda: len(registry.checks(customers, "availability")) >= 3, worker)
        running_logs = worker.logs()  # stopping kills tasks in flight; judge the run before
    for contract_id in ids.values():
        for check_type in ("schema", "freshness", "completeness", "uniqueness", "availability"):
            assert registry.latest(contract_id, check_type)["status"] == "pass"
    for kind in ("schema", "quality", "availability"):
        assert redis_db.get(f"monitor:sweep:{kind}") is not None
    assert "Traceback" not in running_logs
