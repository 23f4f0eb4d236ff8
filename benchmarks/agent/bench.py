"""The data agent on about a million rows of PostgreSQL: /metrics time and table scans.

Five tables of 200,000 rows (every rule kind: not_null, unique, min, max, min_length,
max_length, regex, enum, expression, foreign key, freshness) with a few violations planted,
plus the referenced table. Prints one JSON line: /metrics seconds per request, checks,
violated checks, statements per table, and the sequential scans PostgreSQL counted per table
during the last request (pg_stat_user_tables; a parallel scan counts once per worker).

    .venv/bin/python benchmarks/agent/bench.py [--rows 200000] [--requests 4] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import yaml
from psycopg import sql

from datapact_agent.config import Settings
from datapact_agent.main import create_app
from datapact_testing.postgres import create_database, drop_database, sync_dsn

DATABASE = "bench_agent"
TABLES = 5


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
                         {"type": "max_length", "value": 64}]},
                    {"name": "code", "data_type": "string", "constraints": [
                        {"type": "min_length", "value": 4},
                        {"type": "regex", "value": "^[A-Z]{2}-[0-9]+$"}]},
                    {"name": "qty", "data_type": "integer", "constraints": [
                        {"type": "min", "value": 0}, {"type": "max", "value": 100}]},
                    {"name": "price", "data_type": "decimal", "constraints": [
                        {"type": "min", "value": 0},
                        {"type": "expression", "value": "price < 1000 OR qty > 0"}]},
                    {"name": "status", "data_type": "string", "constraints": [
                        {"type": "enum", "value": ["new", "paid", "shipped"]}]},
                    {"name": "parent_id", "data_type": "integer", "is_foreign_key": True,
                     "foreign_key_reference": "parents.id"},
                    {"name": "updated_at", "data_type": "timestamp", "nullable": False},
                ],
                "quality": [{"metric_type": "freshness", "threshold": "1 hour"},
                            {"metric_type": "completeness", "threshold": "99%"}],
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
    settings = Settings(database_url=sync_dsn(DATABASE), contracts=contracts, environment="test")
    app = create_app(settings)
    seconds: list[float] = []
    body: dict[str, Any] = {}
    scans: dict[str, int] = {}
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://agent") as client:
            for _ in range(requests):
                before = seq_scans()
                started = time.perf_counter()
                response = await client.get("/metrics", timeout=600)
                seconds.append(round(time.perf_counter() - started, 3))
                body = response.json()
                await asyncio.sleep(1.0)  # the statistics collector reports with a delay
                after = seq_scans()
                scans = {name: after[name] - before.get(name, 0) for name in sorted(after)}
    finally:
        app.state.agent.close()
    datasets = body["datasets"].values()
    return {
        "benchmark": "agent",
        "rows": sum(d["row_count"] or 0 for d in datasets),
        "tables": len(body["datasets"]),
        "checks": sum(len(d["checks"]) for d in datasets),
        "violated_checks": sum(1 for d in datasets for c in d["checks"] if c["violations"]),
        "errors": sum(1 for d in datasets for c in d["checks"] if c["error"]),
        "metrics_seconds": seconds,
        "statements_per_table": {name: d["queries"] for name, d in body["datasets"].items()},
        "seq_scans_last_request": scans,
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
            contracts = Path(folder) / "contracts.yaml"
            contracts.write_text(yaml.safe_dump_all(_contracts()), encoding="utf-8")
            print(json.dumps(asyncio.run(measure(contracts, args.requests))))
    finally:
        if not args.keep:
            drop_database(DATABASE)


if __name__ == "__main__":
    main()
