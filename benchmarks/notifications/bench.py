"""Notification-service benchmark: 10,000 events for 500 contracts into the running service
(uvicorn API + one Celery worker, Procfile settings) with the real contract-service as the
registry and a local SMTP sink that counts every message by Message-ID.

Prints one JSON line, ratios first: ingest latency of ``POST /api/v1/events`` (p50/p95/p99)
against its ceiling (benchmarks/ceiling/app.py: one ``INSERT ... ON CONFLICT`` per event, same
uvicorn workers, same clients, same run), delivery rate, and duplicates/losses counted at the
sink. Targets: ingest p95 <= 1.5x the ceiling's p95 (ratio); 0 duplicates, 0 losses; secondary,
absolute: p95 <= 20 ms, >= 200 emails/s.

The service and its ceiling run at once, with the worker up, and take turns: the events in
``--rounds`` chunks, each chunk posted to both sides (fresh ids for the ceiling), the side that
goes first alternating round by round. So both sides ingest beside the same worker (which
renders and sends the service's mails) and the same load. ``ratios`` compares all of a side's
requests; ``ratios_per_round`` each round's p95s, to show the scatter, and their median.
Delivery figures (``emails_per_s*``, ``end_to_end_s``) include the ceiling's turns.

    .venv/bin/python benchmarks/notifications/bench.py [--events 10000] [--contracts 500]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis

from datapact_common.tokens import Service
from datapact_testing.postgres import async_url, drop_database, migrated_database, sync_dsn
from datapact_testing.processes import (
    ServiceProcess,
    celery_worker_process,
    free_port,
    uvicorn_process,
)
from datapact_testing.tokens import admin_token, bearer, internal_service_token

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks" / "ceiling"))
from launch import start_ceiling  # noqa: E402  (benchmarks/ceiling: not a package on the path)

HERE = Path(__file__).resolve().parent
# this benchmark only (dev 0-2, frontend stack 5-7, other benchmarks 7-9, tests 10-15)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
QUEUE = f"notifications-bench-{os.getpid()}"


def contract(i: int) -> dict[str, Any]:
    return {
        "name": f"bench_contract_{i:04d}",
        "version": "1.0.0",
        "description": f"Benchmark dataset {i}",
        "publisher": {
            "team": f"team_{i % 25}",
            "owner": "bench",
            "contact_email": f"owner{i}@publisher.example",
        },
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "amount", "data_type": "decimal"},
            {"name": "customer_id", "data_type": "integer"},
        ],
        "subscribers": [
            {"team": "finance", "fields_used": ["amount"],
             "contact_email": f"finance{i}@subscriber.example"},
            {"team": "crm", "fields_used": ["customer_id"],
             "contact_email": f"crm{i}@subscriber.example"},
        ],
    }  # fmt: skip


def event(n: int, contracts: int) -> tuple[dict[str, Any], int]:
    """The n-th event and how many e-mails it must produce."""
    i = n % contracts
    base: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "source": "benchmark",
        "contract_name": f"bench_contract_{i:04d}",
        "contract_version": "1.0.0",
        "dedup_key": f"bench-{n}",
    }
    if n % 5 == 4:  # quality breach, no fields: publisher and both subscribers
        payload = {"check_type": "freshness", "expected": "15 minutes", "actual": "2 hours"}
        return {
            **base,
            "type": "quality_breach",
            "severity": "critical",
            "title": f"Freshness breach #{n}",
            "payload": payload,
        }, 3
    # drift of `amount`: publisher and finance; crm reads customer_id only
    return {
        **base,
        "type": "schema_drift",
        "severity": "warning",
        "title": f"Drift #{n}",
        "payload": {"fields": ["amount"], "errors": [f"amount changed (#{n})"]},
    }, 2


async def register_contracts(base_url: str, count: int) -> None:
    async with httpx.AsyncClient(
        base_url=base_url, headers=bearer(admin_token()), timeout=60
    ) as http:
        semaphore = asyncio.Semaphore(8)

        async def one(i: int) -> None:
            async with semaphore:
                response = await http.post("/api/v1/contracts", json=contract(i))
                if response.status_code != 201:
                    raise RuntimeError(f"contract {i}: {response.status_code} {response.text}")

        await asyncio.gather(*(one(i) for i in range(count)))


async def ingest(base_url: str, events: list[dict[str, Any]], concurrency: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for item in events:
        queue.put_nowait(item)
    headers = bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=30, limits=limits
    ) as http:

        async def client() -> None:
            while not queue.empty():
                item = queue.get_nowait()
                started = time.perf_counter()
                response = await http.post("/api/v1/events", json=item)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 202:
                    raise RuntimeError(f"POST /events: {response.status_code} {response.text}")

        await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]


def cpu_seconds(process: ServiceProcess, digits: int = 1) -> float:
    """CPU time (user + system) of a process and its children (its process group)."""
    return round(process.cpu_seconds(), digits)


def database_counts(database: str) -> dict[str, int]:
    with psycopg.connect(sync_dsn(database)) as conn:
        rows = conn.execute("SELECT status, count(*) FROM notifications GROUP BY status").fetchall()
        unprocessed = conn.execute("SELECT count(*) FROM events WHERE processed_at IS NULL")
        counts = {str(status): int(count) for status, count in rows}
        counts["events_unprocessed"] = int(unprocessed.fetchone()[0])  # type: ignore[index]
        return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent POST clients")
    parser.add_argument(
        "--worker-concurrency",
        type=int,
        default=2,
        help="worker processes (make up runs 1; scale out with more)",
    )
    parser.add_argument(
        "--api-workers", type=int, default=1, help="uvicorn worker processes of the API"
    )
    parser.add_argument(
        "--rounds", type=int, default=20, help="chunks of events, service and ceiling in turns"
    )
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--worker-nice", type=int, default=0, help="run the worker at a lower CPU priority"
    )
    args = parser.parse_args()

    processes: list[ServiceProcess] = []
    notifications_db = contracts_db = None
    try:
        notifications_db = migrated_database(
            REPO / "services/notification-service", "bench_notifications"
        ).rsplit("/", 1)[1]
        contracts_db = migrated_database(
            REPO / "services/contract-service", "bench_contracts"
        ).rsplit("/", 1)[1]
        smtp_port, stats_port = free_port(), free_port()
        sink = ServiceProcess(
            "bench-sink",
            [sys.executable, str(HERE / "sink.py"), "--smtp-port", str(smtp_port),
             "--http-port", str(stats_port)],
            health_url=f"http://127.0.0.1:{stats_port}/stats",
        )  # fmt: skip
        processes.append(sink.start())
        unused = f"http://127.0.0.1:{free_port()}"
        registry = uvicorn_process(
            "contract-api",
            "contract_service.main:app",
            env={
                "ENVIRONMENT": "test",
                "LOG_LEVEL": "WARNING",
                "CONTRACT_DATABASE_URL": async_url(contracts_db),
                "CONTRACT_REDIS_URL": REDIS_URL,
                "NOTIFICATION_SERVICE_URL": unused,
                "DICTIONARY_SERVICE_URL": unused,
                "DICTIONARY_NUDGE_ENABLED": "false",
            },
        )
        processes.append(registry.start())
        asyncio.run(register_contracts(registry.base_url or "", args.contracts))

        env = {
            "ENVIRONMENT": "test",
            "NOTIFICATION_DATABASE_URL": async_url(notifications_db),
            "NOTIFICATION_REDIS_URL": REDIS_URL,
            "NOTIFICATION_CELERY_QUEUE": QUEUE,
            "CONTRACT_SERVICE_URL": registry.base_url or "",
            "NOTIFICATION_SMTP_HOST": "127.0.0.1",
            "NOTIFICATION_SMTP_PORT": str(smtp_port),
            "SLACK_WEBHOOK_URL": "",
            # Tuning knobs may be tried from the outside: NOTIFICATION_*=... bench.py
            **{k: v for k, v in os.environ.items() if k.startswith("NOTIFICATION_")},
        }
        api = uvicorn_process(
            "notification-api", "notification_service.main:app", env=env, workers=args.api_workers
        )
        api.args += ["--log-level", "warning", "--no-access-log"]
        processes.append(api.start())
        worker = celery_worker_process(
            "notification-worker",
            "notification_service.celery_app.celery_app",
            env=env,
            queues=[QUEUE],
            concurrency=args.worker_concurrency,
        )
        worker.args = [a if a != "--loglevel=INFO" else "--loglevel=WARNING" for a in worker.args]
        profile = os.environ.get("BENCH_PROFILE_WORKER")
        if profile:  # a diagnosis aid: one process, profiled into this file
            worker.args = [sys.executable, "-m", "cProfile", "-o", profile]
            worker.args += ["-m", "celery", "-A", "notification_service.celery_app.celery_app"]
            worker.args += ["worker", "--pool=solo", "-Q", QUEUE, "--loglevel=WARNING"]
        if args.worker_nice:
            worker.args = ["nice", "-n", str(args.worker_nice), *worker.args]
        processes.append(worker.start())

        ceiling = start_ceiling(notifications_db, args.api_workers)
        processes.append(ceiling)
        plan = [event(n, args.contracts) for n in range(args.events)]
        expected = sum(count for _, count in plan)
        sides = {"service": api.base_url or "", "ceiling": ceiling.base_url or ""}
        measured: dict[str, list[float]] = {side: [] for side in sides}
        # CPU of each side's server process during its own turns (start-up excluded)
        servers = {"service": api, "ceiling": ceiling}
        turn_cpu = dict.fromkeys(sides, 0.0)
        per_round: list[float] = []
        ingest_seconds = 0.0
        bounds = [args.events * k // args.rounds for k in range(args.rounds + 1)]
        load_at_start = os.getloadavg()[0]
        started = time.time()
        for number, (low, high) in enumerate(itertools.pairwise(bounds)):
            chunk = {"service": [e for e, _ in plan[low:high]]}
            chunk["ceiling"] = [{**e, "id": str(uuid.uuid4())} for e in chunk["service"]]
            order = ["service", "ceiling"] if number % 2 == 0 else ["ceiling", "service"]
            round_p95: dict[str, float] = {}
            for side in order:
                turn, cpu_before = time.time(), cpu_seconds(servers[side], digits=3)
                latencies = asyncio.run(ingest(sides[side], chunk[side], args.concurrency))
                turn_cpu[side] += cpu_seconds(servers[side], digits=3) - cpu_before
                if side == "service":
                    ingest_seconds += time.time() - turn
                measured[side] += latencies
                round_p95[side] = percentile(latencies, 0.95)
            per_round.append(round(round_p95["service"] / round_p95["ceiling"], 2))

        stats: dict[str, Any] = {}
        deadline = time.monotonic() + args.timeout
        last_progress, last_count = time.monotonic(), -1
        while time.monotonic() < deadline:
            stats = httpx.get(f"http://127.0.0.1:{stats_port}/stats").json()
            if stats["distinct"] >= expected:
                break
            if stats["received"] != last_count:
                last_progress, last_count = time.monotonic(), stats["received"]
            elif time.monotonic() - last_progress > 240:  # beyond sweep grace + interval
                break  # stalled: report what arrived
            time.sleep(0.5)
        time.sleep(2)  # anything sent twice would arrive now
        stats = httpx.get(f"http://127.0.0.1:{stats_port}/stats").json()
        counts = database_counts(notifications_db)
        cpu = {p.name: cpu_seconds(p) for p in processes}
        latencies, ceiling_latencies = measured["service"], measured["ceiling"]
        ceiling_p95 = percentile(ceiling_latencies, 0.95)

        delivery_seconds = (stats["last"] or started) - (stats["first"] or started)
        sustained = stats["distinct"] / delivery_seconds if delivery_seconds > 0 else 0.0
        end_to_end = (stats["last"] or started) - started
        p95 = percentile(latencies, 0.95)
        result = {
            "benchmark": "notifications",
            "ratios": {
                "ingest_p95_vs_ceiling": round(p95 / ceiling_p95, 2),
                "ingest_cpu_vs_ceiling": round(turn_cpu["service"] / turn_cpu["ceiling"], 2)
                if turn_cpu["ceiling"]
                else None,
            },
            "ratios_per_round": {
                "ingest_p95_vs_ceiling": per_round,
                "median": round(statistics.median(per_round), 2),
            },
            "load_avg_1m": [load_at_start, os.getloadavg()[0]],  # at the start, at the end
            "events": args.events,
            "contracts": args.contracts,
            "post_concurrency": args.concurrency,
            "worker_concurrency": args.worker_concurrency,
            "worker_nice": args.worker_nice,
            "api_workers": args.api_workers,
            "rounds": args.rounds,
            "ingest_p50_ms": round(statistics.median(latencies), 2),
            "ingest_p95_ms": round(p95, 2),
            "ingest_p99_ms": round(percentile(latencies, 0.99), 2),
            "ingest_events_per_s": round(args.events / ingest_seconds, 1),
            "ingest_cpu_ms_per_event": round(turn_cpu["service"] * 1000 / args.events, 3),
            "ceiling_cpu_ms_per_event": round(turn_cpu["ceiling"] * 1000 / args.events, 3),
            "ceiling_ingest_p50_ms": round(statistics.median(ceiling_latencies), 2),
            "ceiling_ingest_p95_ms": round(ceiling_p95, 2),
            "ceiling_ingest_p99_ms": round(percentile(ceiling_latencies, 0.99), 2),
            "emails_expected": expected,
            "emails_received": stats["received"],
            "emails_distinct": stats["distinct"],
            "duplicates": stats["duplicates"],
            "losses": expected - stats["distinct"],
            "emails_per_s": round(sustained, 1),
            "emails_per_s_end_to_end": round(stats["distinct"] / end_to_end, 1)
            if end_to_end > 0
            else 0.0,
            "end_to_end_s": round(end_to_end, 1),
            "database": counts,
            "cpu_seconds": cpu,
            "targets_met": {
                "ingest_p95<=1.5x_ceiling": p95 <= 1.5 * ceiling_p95,
                "ingest_p95_le_20ms (absolute)": p95 <= 20,
                "emails_per_s_ge_200 (absolute)": sustained >= 200,
                "no_duplicates": stats["duplicates"] == 0,
                "no_losses": expected == stats["distinct"],
            },
        }
        print(json.dumps(result), flush=True)
        if result["losses"] or result["duplicates"]:
            print(f"worker log: {worker.log_path}\n{worker.logs()}", file=sys.stderr)
    finally:
        for process in reversed(processes):
            process.stop()
        client = redis.Redis.from_url(REDIS_URL)
        for key in [*client.scan_iter(match=f"*{QUEUE}*"), *client.scan_iter(match="*contracts*")]:
            client.delete(key)
        client.close()
        for name in (notifications_db, contracts_db):
            if name:
                drop_database(name)


if __name__ == "__main__":
    main()
