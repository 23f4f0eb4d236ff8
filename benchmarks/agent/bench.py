"""The data agent on about a million rows of PostgreSQL vs datacontract-cli on the same tables.

Five tables of 200,000 rows (every rule kind: not_null, unique, min, max, min_length,
max_length, regex, enum, expression, foreign key, freshness, completeness, volume, and ODCS
quality rules: missingValues, invalidValues, duplicateValues on a field and on two, a sql
rule; the SLAs export as nullValues and rowCount rules) with a few violations planted, plus
the referenced table. In the same run, on the same database:

- DataPact: the agent's /metrics, ``--requests`` times (seconds per request and per table,
  checks = the ``checks[]`` entries judged (``passed`` true or false: each one condition
  evaluated), statements per table, and the sequential scans
  PostgreSQL counted per table during the last request, from pg_stat_user_tables; a
  parallel scan counts once per worker);
- datacontract-cli 1.2.8: the same contracts exported to ODCS by DataPact's exporter, one
  ``datacontract test`` per contract (wall seconds per table, checks it ran, scans).

Prints one JSON line: the ratios first (datacontract-cli seconds per table / DataPact's;
DataPact checks / datacontract-cli checks), absolute figures beside them, the load average.

    benchmarks/agent/run.sh [--rows 200000] [--requests 4] [--keep]   # creates the peer venv
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import datacontract_peer
import httpx
import psycopg
import yaml
from psycopg import sql

from datapact_agent.config import Settings
from datapact_agent.main import create_app
from datapact_testing.postgres import create_database, drop_database, sync_dsn

DATABASE = "bench_agent"
TABLES = 5
# A backend that stays connected (the agent's pool) reports its table statistics when idle,
# at the latest 10 s later (PostgreSQL 15+); the scans are read after that.
STATS_FLUSH_S = 11.0
CATALOGUE_RULES = {"present", "type"}
SPEED_TARGET = 10.0  # per table, against datacontract-cli in the same run


def _contracts() -> list[dict[str, Any]]:
    owner = {"team": "bench", "owner": "bench"}
    documents: list[dict[str, Any]] = [
        {"name": "parents", "version": "1.0.0", "table": "parent", "publisher": owner,
         "schema": [{"name": "id", "data_type": "integer", "nullable": False,
                     "is_primary_key": True}]},
    ]  # fmt: skip
    for t in range(TABLES):
        documents.append(
            {
                "name": f"d{t}", "version": "1.0.0", "table": f"t{t}", "publisher": owner,
                "schema": [
                    {"name": "id", "data_type": "integer", "nullable": False,
                     "is_primary_key": True},
                    {"name": "email", "data_type": "string", "nullable": False, "unique": True,
                     "is_pii": True, "constraints": [
                         {"type": "regex", "value": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
                         {"type": "max_length", "value": 64}],
                     "quality_rules": [
                        {"metric": "missingValues", "mustBeLessOrEqualTo": 1, "unit": "percent",
                         "arguments": {"missingValues": [None, "", "N/A"]}}]},
                    {"name": "code", "data_type": "string", "constraints": [
                        {"type": "min_length", "value": 4},
                        {"type": "regex", "value": "^[A-Z]{2}-[0-9]+$"}],
},
                    {"name": "qty", "data_type": "integer", "constraints": [
                        {"type": "min", "value": 0}, {"type": "max", "value": 100}]},
                    {"name": "price", "data_type": "decimal", "constraints": [
                        {"type": "min", "value": 0},
                        {"type": "expression", "value": "price < 1000 OR qty > 0"}]},
                    {"name": "status", "data_type": "string", "constraints": [
                        {"type": "enum", "value": ["new", "paid", "shipped"]}],
                     "quality_rules": [
                        {"metric": "invalidValues", "mustBeLessThan": 5, "unit": "percent",
                         "arguments": {"validValues": ["new", "paid"]}},
                        {"metric": "duplicateValues", "mustBeGreaterThan": 0}]},
                    {"name": "parent_id", "data_type": "integer", "is_foreign_key": True,
                     "foreign_key_reference": "parents.id"},
                    {"name": "updated_at", "data_type": "timestamp", "nullable": False},
                ],
                "quality": [{"metric_type": "freshness", "threshold": "1 hour"},
                            {"metric_type": "completeness", "threshold": "99%"},
                            {"metric_type": "volume", "threshold": "1000..1000000"}],
                "quality_rules": [
                    {"metric": "duplicateValues", "mustBe": 0,
                     "arguments": {"properties": ["id", "email"]}},
                    {"type": "sql", "mustBeLessOrEqualTo": 10,
                     "query": f"SELECT COUNT(*) FROM t{t} WHERE qty < 0"}],
            }
        )  # fmt: skip
    return documents


def build(rows: int) -> None:
    create_database(DATABASE)
    with psycopg.connect(sync_dsn(DATABASE), autocommit=True) as conn:
        conn.execute("CREATE TABLE parent (id bigint PRIMARY KEY)")
        conn.execute("INSERT INTO parent SELECT generate_series(1, 1000)")
        for t in range(TABLES):
            table = sql.Identifier(f"t{t}")
            conn.execute(
                sql.SQL(
                    "CREATE TABLE {} (id bigint PRIMARY KEY, email text NOT NULL, code varchar(8),"
                    " qty integer, price numeric(8, 2), status text, parent_id bigint,"
                    " updated_at timestamptz NOT NULL DEFAULT now())"
                ).format(table)
            )
            # Violations: qty < 0 every 50,000 rows, price < 0 every 70,000, orphans every 90,000.
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT g, 'user' || g || '@example.com', 'AB-' || (g %% 1000),"
                    " (g %% 10) + CASE WHEN g %% 50000 = 0 THEN -20 ELSE 1 END,"
                    " (g %% 100) + 0.5 - CASE WHEN g %% 70000 = 0 THEN 200 ELSE 0 END,"
                    " (ARRAY['new', 'paid', 'shipped'])[1 + g %% 3],"
                    " CASE WHEN g %% 90000 = 0 THEN -1 ELSE (g %% 1000) + 1 END, now()"
                    " FROM generate_series(1, %s) g"
                ).format(table),
                (rows,),
            )
            conn.execute(sql.SQL("ANALYZE {}").format(table))


def seq_scans() -> dict[str, int]:
    with psycopg.connect(sync_dsn(DATABASE), autocommit=True) as conn:
        return {
            name: int(count)
            for name, count in conn.execute(
                "SELECT relname, seq_scan FROM pg_stat_user_tables"
            ).fetchall()
        }


async def measure(contracts: Path, requests: int) -> dict[str, Any]:
    """The agent's /metrics, ``requests`` times: wall seconds, per-table seconds, last body
    and the sequential scans of the last request."""
    settings = Settings(database_url=sync_dsn(DATABASE), contracts=contracts, environment="test")
    app = create_app(settings)
    seconds: list[float] = []
    table_seconds: dict[str, list[float]] = {}
    body: dict[str, Any] = {}
    scans: dict[str, int] = {}
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://agent") as client:
            for request in range(requests):
                last = request == requests - 1
                if last:
                    await asyncio.sleep(STATS_FLUSH_S)
                before = seq_scans()
                started = time.perf_counter()
                response = await client.get("/metrics", timeout=600)
                seconds.append(round(time.perf_counter() - started, 3))
                body = response.json()
                for dataset in body["datasets"].values():
                    table_seconds.setdefault(dataset["table"], []).append(dataset["seconds"])
                if last:
                    await asyncio.sleep(STATS_FLUSH_S)
                    scans = scan_delta(before)
    finally:
        app.state.agent.close()
    return {"seconds": seconds, "table_seconds": table_seconds, "body": body, "scans": scans}


def scan_delta(before: dict[str, int]) -> dict[str, int]:
    after = seq_scans()
    return {name: after[name] - before.get(name, 0) for name in sorted(after)}


def run_peer(documents: list[dict[str, Any]], scratch: Path) -> dict[str, Any]:
    before = seq_scans()
    result = datacontract_peer.run(documents, DATABASE, scratch)
    time.sleep(1.0)  # its processes have exited, so their statistics are reported
    result["scans"] = scan_delta(before)
    return result


def report(agent: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Ratios first (datacontract-cli / DataPact), absolute figures beside them."""
    datasets = list(agent["body"]["datasets"].values())
    tables = len(datasets)
    judged = [c for d in datasets for c in d["checks"] if c.get("passed") is not None]
    agent_checks = len(judged)
    # the checks that read rows (not the catalogue: a column is present, has its type)
    agent_data_checks = sum(1 for c in judged if c["rule"] not in CATALOGUE_RULES)
    agent_per_table = statistics.median(agent["seconds"]) / tables
    table_median = {t: statistics.median(s) for t, s in sorted(agent["table_seconds"].items())}
    peer_tables = other["tables"]
    peer_checks = sum(t["checks"] for t in peer_tables.values())
    peer_data_checks = sum(t["data_checks"] for t in peer_tables.values())
    peer_per_table = statistics.mean(t["wall_s"] for t in peer_tables.values())
    speed_ratio = peer_per_table / agent_per_table
    checks_ratio = agent_checks / peer_checks if peer_checks else 0.0
    return {
        "benchmark": "agent /metrics vs datacontract-cli test",
        "ratios": {
            "speed_per_table_vs_datacontract_cli": round(speed_ratio, 1),
            "checks_vs_datacontract_cli": round(checks_ratio, 2),
        },
        "targets_met": {
            f"speed_per_table>={SPEED_TARGET:g}x": speed_ratio >= SPEED_TARGET,
            "checks>=1x": checks_ratio >= 1.0,
        },
        "speed_ratio_per_table": round(speed_ratio, 1),
        "speed_ratio_by_table": {
            t: round(peer_tables[t]["wall_s"] / s, 1) if s else None
            for t, s in table_median.items()
        },
        "checks_ratio": round(agent_checks / peer_checks, 2) if peer_checks else None,
        "checks_ratio_data_checks": round(agent_data_checks / peer_data_checks, 2)
        if peer_data_checks
        else None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "rows": sum(d["row_count"] or 0 for d in datasets),
        "tables": tables,
        "datapact": {
            "checks": agent_checks,
            "data_checks": agent_data_checks,
            "entries": sum(len(d["checks"]) for d in datasets),
            "by_rule": dict(sorted(Counter(c["rule"] for c in judged).items())),
            "failed_checks": sum(1 for c in judged if c["passed"] is False),
            "errors": sum(1 for d in datasets for c in d["checks"] if c["error"]),
            "skipped": sum(1 for d in datasets for c in d["checks"] if c.get("skipped")),
            "metrics_seconds": agent["seconds"],
            "per_table_s": round(agent_per_table, 3),
            "table_seconds_median": {t: round(s, 3) for t, s in table_median.items()},
            "statements_per_table": {d["table"]: d["queries"] for d in datasets},
            "seq_scans_last_request": agent["scans"],
        },
        "datacontract_cli": {
            "version": other["version"],
            "checks": peer_checks,
            "data_checks": peer_data_checks,
            "failed_checks": sum(t["failed"] for t in peer_tables.values()),
            "not_run": sum(sum(t["not_run"].values()) for t in peer_tables.values()),
            "per_table_wall_s": round(peer_per_table, 3),
            "per_table_reported_s": round(
                statistics.mean(t["reported_s"] for t in peer_tables.values()), 3
            ),
            "by_table": peer_tables,
            "seq_scans_one_test_each": other["scans"],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows per table")
    parser.add_argument("--requests", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    build(args.rows)
    try:
        with tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder)
            documents = _contracts()
            contracts = scratch / "contracts.yaml"
            contracts.write_text(yaml.safe_dump_all(documents), encoding="utf-8")
            agent = asyncio.run(measure(contracts, args.requests))
            other = run_peer(documents, scratch)
            print(json.dumps(report(agent, other)))
    finally:
        if not args.keep:
            drop_database(DATABASE)


if __name__ == "__main__":
    main()
