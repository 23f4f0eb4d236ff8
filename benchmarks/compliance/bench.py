"""Compliance benchmark: one sweep of 1,000 contracts (or 10,000: ``--contracts 10000``) vs
datacontract-cli.

1. Build N tables of F columns (R rows each) in a scratch database and one DataPact
   contract per table, with freshness, completeness and uniqueness SLAs (the
   template-data-service's scale probe fixture, reused so both measure the same tables),
   and value rules on every typed column (min 0 on numbers, max_length 100 on strings,
   a regex on the 'v…' strings): ``--no-value-rules`` leaves them out.
2. Start the data agent on it (`datapact-agent serve --contracts` those contracts), a real
   contract-service (throwaway database) with the N contracts registered, and an HTTP sink
   standing in for the notification-service.
3. DataPact: time a schema sweep and a quality sweep over every active contract — the code
   the Celery tasks run (list every page, fetch /schema and /metrics once, check, record
   every result in the contract-service). Two rounds; the slower one is reported.
4. Peer, in the same run: datacontract-cli (`datacontract test`, its own virtual
   environment) on a sample of the same tables, one ODCS contract per table expressing the
   same promises (columns present, physical types, NOT NULL, unique, null share, freshness).

Prints one JSON line. Targets: DataPact ≤ 60 s for all contracts (1,000 or 10,000, value
rules included), ≥ 20x faster per contract.

    benchmarks/compliance/run.sh                       # creates the peer venv if missing
    .venv/bin/python benchmarks/compliance/bench.py --contracts 100 --peer-sample 3
    .venv/bin/python benchmarks/compliance/bench.py --peer-sample 0   # DataPact only
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import psycopg
import redis

from compliance_monitor.config import Settings
from compliance_monitor.monitoring.sweep import Monitor, SweepKind, with_monitor
from datapact_common.yaml_io import dump_yaml, dump_yaml_documents
from datapact_testing.http_sink import HttpSink
from datapact_testing.postgres import drop_database, migrated_database, sync_dsn
from datapact_testing.processes import (
    ServiceProcess,
    free_port,
    pids_cpu_seconds,
    uvicorn_process,
)
from datapact_testing.tokens import admin_token, bearer

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CONTRACT_DIR = ROOT / "services" / "contract-service"
SCALE_PROBE = ROOT / "services" / "template-data-service" / "scripts" / "scale_probe.py"
PEER = HERE / ".venv-peer" / "bin" / "datacontract"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
TARGET_SECONDS = 60.0
TARGET_RATIO = 20.0

# DataPact contract type -> ODCS logicalType (the physicalType is what PostgreSQL reports).
ODCS_LOGICAL_TYPES = {
    "integer": "integer",
    "string": "string",
    "decimal": "number",
    "boolean": "boolean",
    "timestamp": "date",
    "uuid": "string",
}


def load_scale_probe() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scale_probe", SCALE_PROBE)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the fixture builder {SCALE_PROBE}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def physical_types(database: str, table: str) -> dict[str, str]:
    """Column types as PostgreSQL names them (the peer compares physical types)."""
    with psycopg.connect(sync_dsn(database)) as conn:
        rows = conn.execute(
            "SELECT column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s",
            (table,),
        ).fetchall()
    aliases = {"int8": "bigint", "int4": "integer", "bool": "boolean"}
    return {str(name): aliases.get(str(udt), str(udt)) for name, udt in rows}


def odcs_document(contract: dict[str, Any], database: str) -> dict[str, Any]:
    """The same promises as the DataPact contract, in ODCS v3 for datacontract-cli."""
    table = contract["table"]
    actual = physical_types(database, table)
    completeness = next(q for q in contract["quality"] if q["metric_type"] == "completeness")
    max_null_percent = 100 - float(completeness["threshold"].rstrip("%"))
    properties = []
    for field in contract["schema"]:
        prop: dict[str, Any] = {
            "name": field["name"],
            "logicalType": ODCS_LOGICAL_TYPES[field["data_type"]],
            "physicalType": actual[field["name"]],
        }
        if not field.get("nullable", True):
            prop["required"] = True
        else:
            prop["quality"] = [
                {
                    "type": "library",
                    "metric": "nullValues",
                    "mustBeLessThan": max_null_percent,
                    "unit": "percent",
                }
            ]
        if field.get("is_primary_key"):
            prop["primaryKey"] = True
        if field.get("is_primary_key") or field.get("unique"):
            prop["unique"] = True
        properties.append(prop)
    return {
        "apiVersion": "v3.0.2",
        "kind": "DataContract",
        "id": contract["name"],
        "name": contract["name"],
        "version": contract["version"],
        "status": "active",
        "servers": [
            {
                "server": "local",
                "type": "postgres",
                "host": "127.0.0.1",
                "port": 5432,
                "database": database,
                "schema": "public",
            }
        ],
        "schema": [
            {
                "name": table,
                "physicalName": table,
                "physicalType": "table",
                "logicalType": "object",
                "properties": properties,
            }
        ],
        "slaProperties": [
            {"property": "freshness", "value": 1, "unit": "d", "element": f"{table}.updated_at"}
        ],
    }


# Value rules per contract data type; every generated value keeps them (the sweep must pass).
VALUE_RULES: dict[str, list[dict[str, Any]]] = {
    "integer": [{"type": "min", "value": 0}],
    "decimal": [{"type": "min", "value": 0}, {"type": "max", "value": 1_000_000_000}],
    "string": [{"type": "max_length", "value": 100}],
}


def add_value_rules(document: dict[str, Any]) -> int:
    """Value rules on the typed columns of one contract; how many were added."""
    added = 0
    for field in document["schema"]:
        rules = [dict(rule) for rule in VALUE_RULES.get(field["data_type"], [])]
        if field["name"].startswith("f") and field["data_type"] == "string":
            rules.append({"type": "regex", "value": "^(v|text )[0-9]+$"})
        if rules:
            field["constraints"] = rules
            added += len(rules)
    return added


def agent_process(database: str, contracts: Path, cwd: Path) -> ServiceProcess:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [
        str(Path(sys.executable).with_name("datapact-agent")), "serve",
        "--database-url", sync_dsn(database), "--contracts", str(contracts),
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    # The warm-up as in production (ENVIRONMENT=test turns it off): the agent plans while the
    # contracts are registered, as a long-running agent has its plans.
    env = {
        "ENVIRONMENT": "test",
        "LOG_LEVEL": "WARNING",
        "AGENT_ENDPOINT_URL": base,
        "AGENT_WARMUP": "true",
    }
    return ServiceProcess(
        "bench-agent", args, env=env, cwd=cwd, health_url=f"{base}/health", base_url=base
    )


def run_peer(documents: list[dict[str, Any]], database: str, scratch: Path) -> dict[str, Any]:
    """``datacontract test`` once per contract, as a user or CI job would run it."""
    if not PEER.exists():
        raise SystemExit(f"{PEER} is missing: run benchmarks/compliance/run.sh to create it")
    env = {
        **os.environ,
        "DATACONTRACT_POSTGRES_USERNAME": "postgres",
        "DATACONTRACT_POSTGRES_PASSWORD": "postgres",  # trust auth; the CLI wants a value
    }
    wall: list[float] = []
    reported: list[float] = []
    checks = 0
    for contract in documents:
        path = scratch / f"{contract['name']}.odcs.yaml"
        path.write_text(dump_yaml(odcs_document(contract, database)))
        start = time.perf_counter()
        result = subprocess.run(
            [str(PEER), "test", str(path)], env=env, capture_output=True, text=True, check=False
        )
        wall.append(time.perf_counter() - start)
        output = " ".join(result.stdout.split())
        if result.returncode != 0 or "Data contract is valid" not in output:
            raise SystemExit(
                f"datacontract test failed for {path}:\n{result.stdout}\n{result.stderr}"
            )
        took = re.search(r"Ran (\d+) checks\. Took ([\d.]+) seconds", output)
        if took:
            checks += int(took.group(1))
            reported.append(float(took.group(2)))
    return {
        "wall_s": wall,
        "reported_s": reported,
        "checks": checks,
        "version": subprocess.run(
            [str(PEER), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
    }


async def register(base_url: str, documents: list[dict[str, Any]]) -> None:
    limit = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=base_url, headers=bearer(admin_token()), timeout=60) as c:

        async def one(document: dict[str, Any]) -> None:
            async with limit:
                response = await c.post("/api/v1/contracts", json=document)
            if response.status_code != 201:
                raise SystemExit(f"registering {document['name']}: {response.text}")

        await asyncio.gather(*(one(d) for d in documents))


async def sweeps(settings: Settings) -> tuple[float, dict[str, Any], dict[str, Any]]:
    async def work(monitor: Monitor) -> tuple[float, dict[str, Any], dict[str, Any]]:
        start = time.perf_counter()
        schema = await monitor.sweep(SweepKind.SCHEMA)
        quality = await monitor.sweep(SweepKind.QUALITY)
        return time.perf_counter() - start, schema, quality

    return await with_monitor(settings, work)


class GcClock:
    """Seconds this process (the monitor) spent in the cyclic garbage collector."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started


class CpuMeter:
    """CPU seconds of each part of the platform over a sweep: the agent, the
    contract-service, this process (the monitor) and the PostgreSQL backends serving the
    two benchmark databases (backends that end mid-sweep are not counted)."""

    def __init__(self, parts: dict[str, ServiceProcess], databases: list[str]) -> None:
        self.parts = parts
        self.databases = databases

    def _backends(self) -> list[int]:
        with psycopg.connect(sync_dsn("postgres"), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = ANY(%s)", [self.databases]
            ).fetchall()
        return [int(row[0]) for row in rows]

    def snapshot(self) -> tuple[dict[str, float], dict[int, float]]:
        own = os.times()
        parts = {name: process.cpu_seconds() for name, process in self.parts.items()}
        parts["monitor"] = own.user + own.system
        return parts, pids_cpu_seconds(self._backends())

    def since(self, start: tuple[dict[str, float], dict[int, float]]) -> dict[str, float]:
        parts, backends = self.snapshot()
        spent = {name: round(value - start[0][name], 1) for name, value in parts.items()}
        spent["postgres"] = round(
            sum(value - start[1].get(pid, 0.0) for pid, value in backends.items()), 1
        )
        spent["total"] = round(sum(spent.values()), 1)
        return spent


def clear_state() -> None:
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter("monitor:*"))
    if keys:
        client.delete(*keys)
    client.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--peer-sample", type=int, default=10)
    parser.add_argument("--database", default="bench_compliance_data")
    parser.add_argument("--no-value-rules", action="store_true")
    parser.add_argument(
        "--keep-database", action="store_true", help="keep the tables (for --reuse-database)"
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="the tables of a run with --keep-database and the same sizes: not built again",
    )
    args = parser.parse_args(argv)

    probe = load_scale_probe()
    started = time.perf_counter()
    documents: list[dict[str, Any]] = (
        [
            probe.contract_document(i, args.fields, "http://127.0.0.1:1")
            for i in range(1, args.contracts + 1)
        ]
        if args.reuse_database
        else probe.build_fixture(
            args.database, args.contracts, args.fields, args.rows, "http://127.0.0.1:1"
        )
    )
    value_rules = (
        0 if args.no_value_rules else sum(add_value_rules(document) for document in documents)
    )
    registry_url = migrated_database(CONTRACT_DIR, "bench_compliance_registry")
    setup_s = time.perf_counter() - started
    processes: list[ServiceProcess] = []
    try:
        with tempfile.TemporaryDirectory() as scratch_dir, HttpSink(status=202) as sink:
            scratch = Path(scratch_dir)
            # A folder of files of 1,000 contracts: the agent reads files of up to 16 MiB.
            contracts_file = scratch / "contracts"
            contracts_file.mkdir()
            for start in range(0, len(documents), 1000):
                chunk = documents[start : start + 1000]
                (contracts_file / f"contracts-{start:06d}.yaml").write_text(
                    dump_yaml_documents(chunk)
                )
            quiet = {"ENVIRONMENT": "test", "LOG_LEVEL": "WARNING"}
            data = agent_process(args.database, contracts_file, scratch)
            registry = uvicorn_process(
                "bench-contract-service",
                "contract_service.main:app",
                env={
                    **quiet,
                    "CONTRACT_DATABASE_URL": registry_url,
                    "CONTRACT_REDIS_URL": REDIS_URL,
                    "NOTIFICATION_SERVICE_URL": sink.url,
                    "DICTIONARY_NUDGE_ENABLED": "false",
                },
                cwd=scratch,
            )
            for process in (data, registry):
                process.startup_timeout = 180
                process.start()
                processes.append(process)
            endpoint = data.base_url or ""
            for document in documents:
                document["access"]["endpoint_url"] = endpoint
            started = time.perf_counter()
            asyncio.run(register(registry.base_url or "", documents))
            register_s = time.perf_counter() - started

            clear_state()
            settings = Settings(
                ENVIRONMENT="test",
                MONITOR_REDIS_URL=REDIS_URL,
                CONTRACT_SERVICE_URL=registry.base_url,
                NOTIFICATION_SERVICE_URL=sink.url,
                COMPLIANCE_ALLOWED_HOSTS="127.0.0.1:*",
                LOG_LEVEL="WARNING",
            )
            meter = CpuMeter(
                {"agent": data, "contract_service": registry},
                [args.database, registry_url.rsplit("/", 1)[1]],
            )
            rounds, cpu = [], []
            collector = GcClock()
            for _ in range(args.rounds):
                start_cpu, start_gc = meter.snapshot(), collector.seconds
                rounds.append(asyncio.run(sweeps(settings)))
                cpu.append(meter.since(start_cpu))
                cpu[-1]["monitor_gc"] = round(collector.seconds - start_gc, 1)
            clear_state()
            peer = (
                run_peer(documents[: args.peer_sample], args.database, scratch)
                if args.peer_sample
                else None
            )
    finally:
        for process in processes:
            process.stop()
        if not args.keep_database:
            drop_database(args.database)
        drop_database(registry_url.rsplit("/", 1)[1])

    seconds = [r[0] for r in rounds]
    worst = max(seconds)
    _, schema, quality = rounds[-1]
    per_contract_ms = worst / args.contracts * 1000
    peer_wall_ms = statistics.mean(peer["wall_s"]) * 1000 if peer else None
    peer_reported_ms = (
        statistics.mean(peer["reported_s"]) * 1000 if peer and peer["reported_s"] else None
    )
    ratio = peer_wall_ms / per_contract_ms if peer_wall_ms else None
    quality_not_passed = sum(n for status, n in quality["results"].items() if status != "pass")
    all_passed = (
        schema["results"]["pass"] == args.contracts
        and quality["results"]["pass"] >= 3 * args.contracts  # + a result per ruled field
        and quality_not_passed == 0
        and schema["recorded"] + quality["recorded"] == args.contracts + quality["results"]["pass"]
    )
    print(
        json.dumps(
            {
                "benchmark": "compliance sweep (schema + quality) vs datacontract-cli",
                "ratios": {"per_contract_vs_datacontract_cli": round(ratio, 1) if ratio else None},
                "load_average_1m": round(os.getloadavg()[0], 2),
                "targets_met": {
                    f"per_contract>={TARGET_RATIO:g}x_datacontract_cli": ratio is None
                    or ratio >= TARGET_RATIO,
                    f"sweep<={TARGET_SECONDS:g}s (absolute)": worst <= TARGET_SECONDS,
                    "all_passed_and_recorded": all_passed,
                },
                "contracts": args.contracts,
                "fields_per_contract": args.fields,
                "rows_per_table": args.rows,
                "value_rules": value_rules,
                "datapact_sweep_s": [round(s, 2) for s in seconds],
                "datapact_worst_s": round(worst, 2),
                "datapact_schema_sweep_s": schema["duration_seconds"],
                "datapact_quality_sweep_s": quality["duration_seconds"],
                "datapact_per_contract_ms": round(per_contract_ms, 2),
                "datapact_phases_s": {"schema": schema["phases"], "quality": quality["phases"]},
                "cpu_s_per_round": cpu,
                "datapact_results": {
                    "schema": schema["results"],
                    "quality": quality["results"],
                    "recorded": schema["recorded"] + quality["recorded"],
                },
                "all_passed_and_recorded": all_passed,
                "peer": peer["version"] if peer else None,
                "peer_sample": args.peer_sample,
                "peer_checks": peer["checks"] if peer else None,
                "peer_per_contract_wall_ms": round(peer_wall_ms, 1) if peer_wall_ms else None,
                "peer_per_contract_reported_ms": round(peer_reported_ms, 1)
                if peer_reported_ms
                else None,
                "ratio_per_contract": round(ratio, 1) if ratio else None,
                "ratio_vs_peer_reported_time": round(peer_reported_ms / per_contract_ms, 1)
                if peer_reported_ms
                else None,
                "setup_s": round(setup_s, 1),
                "register_s": round(register_s, 1),
            }
        )
    )
    sys.exit(0 if all_passed else 1)


if __name__ == "__main__":
    main()
