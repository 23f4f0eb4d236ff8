"""Contract registry benchmark: 10,000 contracts of 20 fields loaded through the API of a real
uvicorn with 2 workers on a throwaway database, then measured from separate processes with
Debian's `wrk`, interleaved in the same run with a ceiling (benchmarks/ceiling/app.py:
FastAPI + asyncpg returning the same stored JSON, inserting the same documents).

Both apps run at once on the same database and take turns, so each ratio compares the two
under the same load: the creates go in ``--chunks`` chunks per side (service, ceiling,
service, ...; the same documents, each name once per side), the reads in ``--rounds`` rounds
of ``--duration``/``--rounds`` seconds per side at the same connections (service GET, ceiling
GET, service 304; both warmed up first). Requests and latencies are summed per side; the
ratio of each chunk or round is printed too (``ratios_per_round``), to show the scatter.

Prints one JSON line, ratios first. Targets (ratios, issue 17): GET by name >= 0.6x the
ceiling; creates >= 0.5x the ceiling's inserts. Secondary, absolute: creates >= 100/s; GET by
name >= 1,000 requests/s with p95 <= 50 ms at 32 connections; paging through all 10,000 <= 5 s.
Also measured: conditional reads (`If-None-Match` -> 304) per second.

    .venv/bin/python benchmarks/registry/bench.py [--contracts 10000] [--duration 15]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_testing.postgres import async_url, drop_database, migrated_database
from datapact_testing.processes import ServiceProcess, free_port
from datapact_testing.tokens import admin_token, bearer

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks" / "ceiling"))
from launch import start_ceiling  # noqa: E402  (benchmarks/ceiling: not a package on the path)

SERVICE_DIR = REPO / "services" / "contract-service"
REDIS_URL = "redis://127.0.0.1:6379/7"  # never used by creates and reads; kept off the others' DBs
TYPES = ["string", "integer", "decimal", "boolean", "timestamp", "date", "uuid", "json"]

WRK_BY_NAME = """
local count = %(count)d
request = function()
  local name = string.format("bench_dataset_%%05d", math.random(0, count - 1))
  return wrk.format("GET", "/api/v1/contracts/name/" .. name)
end
"""
WRK_CONDITIONAL = """
local held = { %(held)s }
request = function()
  local pick = held[math.random(1, #held)]
  return wrk.format("GET", "/api/v1/contracts/name/" .. pick[1], {["If-None-Match"] = pick[2]})
end
"""
WRK_DONE = """
done = function(summary, latency, requests)
  local quantiles = {}
  for q = 0.5, 99.5, 1 do quantiles[#quantiles + 1] = latency:percentile(q) end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "centiles_us": [%s]}\\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(quantiles, ", ")))
end
"""


def contract(i: int, fields: int) -> dict[str, Any]:
    schema: list[dict[str, Any]] = [
        {"name": "id", "data_type": "uuid", "nullable": False, "is_primary_key": True,
         "description": "row id"},
    ]  # fmt: skip
    for f in range(1, fields):
        field: dict[str, Any] = {
            "name": f"attribute_{f:02d}",
            "data_type": TYPES[(i + f) % len(TYPES)],
            "description": f"attribute {f} of dataset {i}",
            "nullable": f % 3 != 0,
        }
        if f % 7 == 0:
            field["is_pii"] = True
        if field["data_type"] == "string" and f % 2:
            field["constraints"] = [{"type": "max_length", "value": 255}]
        schema.append(field)
    return {
        "name": f"bench_dataset_{i:05d}",
        "version": "1.0.0",
        "description": f"Benchmark dataset number {i}",
        "publisher": {"team": f"team_{i % 40}", "owner": "bench-owner",
                      "contact_email": "owner@example.com"},
        "schema": schema,
        "quality": [
            {"metric_type": "freshness", "threshold": "15 minutes"},
            {"metric_type": "completeness", "threshold": "99.5%"},
        ],
        "access": {"endpoint_url": f"https://data.example.com/datasets/{i}", "auth_type": "oauth2"},
        "tags": ["bench", f"domain_{i % 12}"],
        "metadata": {"tier": i % 3, "source": "benchmark"},
    }  # fmt: skip


def start_server(database: str, workers: int) -> ServiceProcess:
    port = free_port()
    env = {
        "ENVIRONMENT": "test",
        "CONTRACT_DATABASE_URL": async_url(database),
        "CONTRACT_REDIS_URL": REDIS_URL,
        "DATAPACT_SECRET_KEY": DEVELOPMENT_SECRET,
        "DICTIONARY_NUDGE_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "DATABASE_POOL_SIZE": "20",
    }
    args = [
        sys.executable, "-m", "uvicorn", "contract_service.main:app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    return ServiceProcess(
        "contract-api-bench", args, env=env, cwd=SERVICE_DIR, health_url=f"{base}/health",
        base_url=base,
    ).start()  # fmt: skip


async def create(
    base: str, indexes: range, fields: int, concurrency: int
) -> tuple[float, list[float], int]:
    """POSTs the documents ``indexes`` to ``base``: seconds taken, latencies, failures."""
    headers = bearer(admin_token("bench"))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in indexes:
        queue.put_nowait(i)
    latencies: list[float] = []
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            i = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/contracts", json=contract(i, fields), headers=headers
            )
            latencies.append(time.perf_counter() - started)
            if response.status_code != 201:
                failures += 1

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, latencies, failures


def create_figures(
    prefix: str, count: int, elapsed: float, latencies: list[float], failures: int
) -> dict[str, float]:
    latencies = sorted(latencies)
    return {
        f"{prefix}_per_s": round(count / elapsed, 1),
        f"{prefix}_seconds": round(elapsed, 2),
        f"{prefix}_p50_ms": round(statistics.median(latencies) * 1000, 2),
        f"{prefix}_p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        f"{prefix}_failures": failures,
    }


async def load(
    base: str, count: int, fields: int, concurrency: int, prefix: str = "create"
) -> dict[str, float]:
    """Creates documents 0..count-1 through ``base``, in one go."""
    elapsed, latencies, failures = await create(base, range(count), fields, concurrency)
    return create_figures(prefix, count, elapsed, latencies, failures)


async def load_interleaved(
    sides: dict[str, str], count: int, fields: int, concurrency: int, chunks: int
) -> tuple[dict[str, float], list[float]]:
    """Creates documents 0..count-1 through each of ``sides`` (prefix -> base URL), in
    ``chunks`` chunks taking turns: the figures per side and the first side's rate over the
    second's, chunk by chunk."""
    totals = {prefix: (0.0, list[float](), 0) for prefix in sides}
    per_chunk: list[float] = []
    bounds = [count * k // chunks for k in range(chunks + 1)]
    for low, high in itertools.pairwise(bounds):
        rates = []
        for prefix, base in sides.items():
            elapsed, latencies, failures = await create(base, range(low, high), fields, concurrency)
            seconds, kept, failed = totals[prefix]
            totals[prefix] = (seconds + elapsed, kept + latencies, failed + failures)
            rates.append((high - low) / elapsed)
        per_chunk.append(round(rates[0] / rates[1], 3))
    figures: dict[str, float] = {}
    for prefix, (seconds, latencies, failures) in totals.items():
        figures.update(create_figures(prefix, count, seconds, latencies, failures))
    return figures, per_chunk


def page_all(base: str, expected: int) -> dict[str, Any]:
    with httpx.Client(base_url=base, timeout=60) as client:
        started = time.perf_counter()
        seen: list[str] = []
        skip = 0
        while True:
            body = client.get("/api/v1/contracts", params={"skip": skip, "limit": 500}).json()
            seen += [c["id"] for c in body["contracts"]]
            skip += 500
            if skip >= body["total"]:
                break
        offset_seconds = time.perf_counter() - started
        started = time.perf_counter()
        synced: list[str] = []
        params: dict[str, Any] = {"updated_since": "1970-01-01T00:00:00Z", "limit": 500}
        while True:
            body = client.get("/api/v1/contracts", params=params).json()
            synced += [c["id"] for c in body["contracts"]]
            if body["next_cursor"] is None:
                break
            params = {"cursor": body["next_cursor"], "limit": 500}
        cursor_seconds = time.perf_counter() - started
    return {
        "page_all_offset_s": round(offset_seconds, 2),
        "page_all_cursor_s": round(cursor_seconds, 2),
        "paged_complete": len(set(seen))
        == len(seen)
        == expected
        == len(set(synced))
        == len(synced),
    }


def held_tags(base: str, count: int, sample: int = 200) -> str:
    """Lua rows ``{name, etag}`` for ``sample`` contracts, each checked to answer 304."""
    rows = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for i in range(0, count, max(1, count // sample)):
            url = f"/api/v1/contracts/name/bench_dataset_{i:05d}"
            tag = client.get(url).headers["ETag"]
            if client.get(url, headers={"If-None-Match": tag}).status_code != 304:
                raise SystemExit(f"{url}: If-None-Match with its own ETag is not a 304")
            name = json.dumps(url.rsplit("/", 1)[1])
            rows.append(f"{{{name}, {json.dumps(tag)}}}")
    return ", ".join(rows)


def wrk(base: str, request_script: str, connections: int, seconds: int) -> dict[str, Any]:
    binary = shutil.which("wrk") or "/usr/bin/wrk"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(request_script + WRK_DONE)
    args = [binary, "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, base]
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def summed(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """`wrk` runs as one: requests, time and errors added; the latency percentiles of all
    their requests, each run's 100 centiles weighted by its requests."""
    weighted = sorted(
        (value, run["requests"] / 100) for run in runs for value in run["centiles_us"]
    )
    total = sum(weight for _, weight in weighted)

    def percentile(share: float) -> float:
        seen = 0.0
        for value, weight in weighted:
            seen += weight
            if seen >= total * share:
                return float(value)
        return float(weighted[-1][0])

    return {
        "requests": sum(run["requests"] for run in runs),
        "duration_us": sum(run["duration_us"] for run in runs),
        "non_2xx": sum(run["non_2xx"] for run in runs),
        "socket_errors": sum(run["socket_errors"] for run in runs),
        "p50_us": percentile(0.50),
        "p95_us": percentile(0.95),
        "p99_us": percentile(0.99),
        "max_us": max(run["max_us"] for run in runs),
    }


def rps(run: dict[str, Any]) -> float:
    return float(run["requests"] / (run["duration_us"] / 1e6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--fields", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--load-concurrency", type=int, default=16)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=15, help="seconds of reads per side")
    parser.add_argument("--rounds", type=int, default=3, help="read rounds per side")
    parser.add_argument("--chunks", type=int, default=4, help="create chunks per side")
    args = parser.parse_args()

    database = migrated_database(SERVICE_DIR, "bench_registry").rsplit("/", 1)[1]
    server = start_server(database, args.workers)
    ceiling: ServiceProcess | None = None
    by_name = WRK_BY_NAME % {"count": args.contracts}
    seconds = max(1, round(args.duration / args.rounds))
    try:
        ceiling = start_ceiling(database, args.workers)
        result: dict[str, Any] = {"benchmark": "registry", "load_before": os.getloadavg()[0]}
        figures: dict[str, Any] = {
            "contracts": args.contracts,
            "fields": args.fields,
            "uvicorn_workers": args.workers,
            "read_rounds": args.rounds,
            "round_seconds": seconds,
            "create_chunks": args.chunks,
        }
        base = server.base_url or ""
        top = ceiling.base_url or ""
        created, create_chunks = asyncio.run(
            load_interleaved(
                {"create": base, "ceiling_insert": top},
                args.contracts,
                args.fields,
                args.load_concurrency,
                args.chunks,
            )
        )
        figures.update(created)
        figures.update(page_all(base, args.contracts))
        conditional = WRK_CONDITIONAL % {"held": held_tags(base, args.contracts)}
        wrk(base, by_name, args.connections, 3)  # warm-up, both sides
        wrk(top, by_name, args.connections, 3)
        rounds: dict[str, list[dict[str, Any]]] = {"get": [], "ceiling": [], "not_modified": []}
        for _ in range(args.rounds):  # the two sides take turns under the same load
            rounds["get"].append(wrk(base, by_name, args.connections, seconds))
            rounds["ceiling"].append(wrk(top, by_name, args.connections, seconds))
            rounds["not_modified"].append(wrk(base, conditional, args.connections, seconds))
        figures.update(read_figures("get_by_name", summed(rounds["get"])))
        figures.update(read_figures("ceiling_get_by_name", summed(rounds["ceiling"])))
        figures.update(read_figures("not_modified", summed(rounds["not_modified"])))
        result["ratios"] = {
            "get_by_name_vs_ceiling": round(
                figures["get_by_name_rps"] / figures["ceiling_get_by_name_rps"], 3
            ),
            "create_vs_ceiling_insert": round(
                figures["create_per_s"] / figures["ceiling_insert_per_s"], 3
            ),
            "not_modified_vs_get": round(
                figures["not_modified_rps"] / figures["get_by_name_rps"], 3
            ),
        }
        result["ratios_per_round"] = {
            "get_by_name_vs_ceiling": [
                round(rps(get) / rps(top_run), 3)
                for get, top_run in zip(rounds["get"], rounds["ceiling"], strict=True)
            ],
            "create_vs_ceiling_insert": create_chunks,
            "not_modified_vs_get": [
                round(rps(held) / rps(get), 3)
                for held, get in zip(rounds["not_modified"], rounds["get"], strict=True)
            ],
        }
        result["figures"] = figures
        result["load_after"] = os.getloadavg()[0]
        result["targets_met"] = {
            "get_by_name>=0.6x_ceiling": result["ratios"]["get_by_name_vs_ceiling"] >= 0.6,
            "create>=0.5x_ceiling": result["ratios"]["create_vs_ceiling_insert"] >= 0.5,
            "create_per_s>=100 (absolute)": figures["create_per_s"] >= 100,
            "get_by_name_rps>=1000 (absolute)": figures["get_by_name_rps"] >= 1000,
            "get_by_name_p95_ms<=50 (absolute)": figures["get_by_name_p95_ms"] <= 50,
            "page_all_s<=5 (absolute)": max(
                figures["page_all_offset_s"], figures["page_all_cursor_s"]
            )
            <= 5,
        }
    finally:
        if ceiling is not None:
            ceiling.stop()
        server.stop()
        drop_database(database)
    print(json.dumps(result), flush=True)


def read_figures(prefix: str, figures: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{prefix}_rps": round(rps(figures), 1),
        f"{prefix}_p50_ms": round(figures["p50_us"] / 1000, 2),
        f"{prefix}_p95_ms": round(figures["p95_us"] / 1000, 2),
        f"{prefix}_p99_ms": round(figures["p99_us"] / 1000, 2),
        f"{prefix}_errors": figures["non_2xx"] + figures["socket_errors"],
    }


if __name__ == "__main__":
    main()
