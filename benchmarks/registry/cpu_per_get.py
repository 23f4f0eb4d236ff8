"""CPU time per `GET /api/v1/contracts/name/{name}` of one uvicorn worker, and of the
ceiling's (benchmarks/ceiling/app.py) on the same database.

Requests per second follow the machine's load; the CPU time a single worker spends per
request moves far less, so this is the figure to compare before and after a change to the
read path (docs/performance.md, "CPU per request"). Loads ``--contracts`` contracts through
the API, warms up, then runs ``--runs`` `wrk` runs of ``--duration`` seconds and divides the
worker's `/proc` CPU time (user + system, all its threads) by `wrk`'s request count.

Prints one JSON line: ``cpu_us_per_get`` (one figure per run), their median, the same for the
ceiling unless ``--no-ceiling``, the median ratio and the 1-minute load average.

    .venv/bin/python benchmarks/registry/cpu_per_get.py [--runs 3] [--duration 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
from typing import Any

from bench import SERVICE_DIR, WRK_BY_NAME, load, start_server, wrk
from launch import start_ceiling

from datapact_testing.postgres import drop_database, migrated_database
from datapact_testing.processes import ServiceProcess


def measure(
    process: ServiceProcess, script: str, connections: int, runs: int, duration: int
) -> list[int]:
    """Microseconds of CPU per request of ``process``, one figure per `wrk` run."""
    base = process.base_url or ""
    assert process.process is not None, "started"
    wrk(base, script, connections, 3)  # warm-up: caches, prepared statements, the pool
    figures = []
    for _ in range(runs):
        before = process.cpu_seconds()
        counts = wrk(base, script, connections, duration)
        if counts["non_2xx"] or counts["socket_errors"]:
            raise SystemExit(f"{base}: {counts['non_2xx']} non-2xx, errors {counts}")
        figures.append(round((process.cpu_seconds() - before) / counts["requests"] * 1e6))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--fields", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--no-ceiling", action="store_true", help="measure the service only")
    args = parser.parse_args()

    database = migrated_database(SERVICE_DIR, "bench_cpu").rsplit("/", 1)[1]
    script = WRK_BY_NAME % {"count": args.contracts}
    server = start_server(database, 1)  # one worker: --workers 1 serves in-process
    ceiling: ServiceProcess | None = None
    try:
        result: dict[str, Any] = {"benchmark": "cpu_per_get", "load_before": os.getloadavg()[0]}
        asyncio.run(load(server.base_url or "", args.contracts, args.fields, 8))
        service = measure(server, script, args.connections, args.runs, args.duration)
        result["cpu_us_per_get"] = service
        result["median_us"] = statistics.median(service)
        if not args.no_ceiling:
            ceiling = start_ceiling(database, 1)
            top = measure(ceiling, script, args.connections, args.runs, args.duration)
            result["ceiling_cpu_us_per_get"] = top
            result["ceiling_median_us"] = statistics.median(top)
            result["ceiling_vs_service"] = round(statistics.median(top) / result["median_us"], 3)
        result["load_after"] = os.getloadavg()[0]
    finally:
        if ceiling is not None:
            ceiling.stop()
        server.stop()
        drop_database(database)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
