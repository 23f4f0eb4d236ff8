"""How fast one instance serves /schema and /metrics for many contracts.

Builds N tables of F columns (R rows each) in a scratch database, writes one contract per
table into a YAML stream, starts the service on it (CONTRACTS_PATH) and times the two
protocol endpoints. Prints one JSON line.

    .venv/bin/python services/template-data-service/scripts/scale_probe.py \
        --tables 1000 --fields 20 --rows 100

``build_fixture`` is importable, so a benchmark can reuse the same tables and contracts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

from datapact_common.yaml_io import dump_yaml_documents
from datapact_testing.postgres import async_url, create_database, drop_database, sync_dsn
from datapact_testing.processes import uvicorn_process

# Column kinds cycled through fields 3..F: (contract data_type, PostgreSQL type, value SQL).
KINDS = [
    ("string", "VARCHAR(100)", "'v' || g"),
    ("integer", "INTEGER", "g * 7"),
    ("decimal", "NUMERIC(12, 2)", "g * 1.25"),
    ("boolean", "BOOLEAN", "g %% 2 = 0"),
    ("timestamp", "TIMESTAMP WITH TIME ZONE", "now() - g * interval '1 minute'"),
    ("uuid", "UUID", "md5(g::text)::uuid"),
    ("string", "TEXT", "CASE WHEN g %% 10 = 0 THEN NULL ELSE 'text ' || g END"),
]


def table_name(index: int) -> str:
    return f"bench_{index:04d}"


def contract_document(index: int, fields: int, endpoint: str) -> dict[str, Any]:
    schema: list[dict[str, Any]] = [
        {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
        {"name": "updated_at", "data_type": "timestamp", "nullable": False},
    ]
    for f in range(3, fields + 1):
        data_type, _, _ = KINDS[f % len(KINDS)]
        schema.append(
            {
                "name": f"f{f:02d}",
                "data_type": data_type,
                "nullable": True,
                "unique": f % len(KINDS) == 0,
            }
        )
    return {
        "name": f"bench_contract_{index:04d}",
        "version": "1.0.0",
        "table": table_name(index),
        "publisher": {"team": "bench", "owner": "bench"},
        "schema": schema,
        "quality": [
            {"metric_type": "freshness", "threshold": "1 day", "measurement_method": "updated_at"},
            {"metric_type": "completeness", "threshold": "80%"},
            {"metric_type": "uniqueness", "threshold": "100%"},
        ],
        "access": {"endpoint_url": endpoint},
    }


# Tables created per transaction (each holds ~5 locks until commit; PostgreSQL's lock table
# holds max_locks_per_transaction x max_connections: 19,200 here).
COMMIT_EVERY = 500


def build_fixture(
    database: str, tables: int, fields: int, rows: int, endpoint: str
) -> list[dict[str, Any]]:
    """(Re)create ``database`` with the tables and rows; return the contract documents."""
    create_database(database)
    with psycopg.connect(sync_dsn(database)) as conn:
        for i in range(1, tables + 1):
            columns = [sql.SQL("id BIGINT PRIMARY KEY"), sql.SQL("updated_at TIMESTAMPTZ NOT NULL")]
            values = [sql.SQL("g"), sql.SQL("now() - g * interval '1 second'")]
            for f in range(3, fields + 1):
                _, pg_type, value = KINDS[f % len(KINDS)]
                unique = sql.SQL(" UNIQUE") if f % len(KINDS) == 0 else sql.SQL("")
                columns.append(
                    sql.SQL("{} {}{}").format(sql.Identifier(f"f{f:02d}"), sql.SQL(pg_type), unique)
                )
                values.append(sql.SQL(value))
            name = sql.Identifier(table_name(i))
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(name, sql.SQL(", ").join(columns)))
            conn.execute(
                sql.SQL("INSERT INTO {} SELECT {} FROM generate_series(1, %s) AS g").format(
                    name, sql.SQL(", ").join(values)
                ),
                (rows,),
            )
            if i % COMMIT_EVERY == 0:  # one transaction would lock every table: too many locks
                conn.commit()
        conn.commit()
        conn.autocommit = True  # a database-wide ANALYZE then takes one table at a time
        conn.execute("ANALYZE")
    return [contract_document(i, fields, endpoint) for i in range(1, tables + 1)]


def timed_get(client: httpx.Client, url: str) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return elapsed, body


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default="template_scale_probe")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--warmup-wait",
        type=float,
        default=0.0,
        help="enable METRICS_WARMUP and wait this long after startup (default: measure cold)",
    )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    documents = build_fixture(
        args.database, args.tables, args.fields, args.rows, "http://127.0.0.1:8003"
    )
    build_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as scratch:
        contracts = Path(scratch) / "contracts.yaml"
        contracts.write_text(dump_yaml_documents(documents))
        env = {
            "TEMPLATE_DATABASE_URL": async_url(args.database),
            "CONTRACTS_PATH": str(contracts),
            "ENVIRONMENT": "test",
            "GENERATOR_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "TEMPLATE_METRICS_WARMUP": "true" if args.warmup_wait > 0 else "false",
        }
        process = uvicorn_process("template-scale", "data_service.main:app", env=env)
        process.startup_timeout = 120
        start = time.perf_counter()
        try:
            process.start()
            startup_seconds = time.perf_counter() - start
            time.sleep(args.warmup_wait)
            with httpx.Client(base_url=process.base_url or "", timeout=120) as client:
                schema_times, metrics_times = [], []
                for _ in range(args.repeat):
                    elapsed, schema = timed_get(client, "/schema")
                    schema_times.append(elapsed)
                    elapsed, metrics = timed_get(client, "/metrics")
                    metrics_times.append(elapsed)
        finally:
            process.stop()
    if not args.keep:
        drop_database(args.database)
    errors = sum(len(d["errors"]) for d in metrics["datasets"].values())
    print(
        json.dumps(
            {
                "benchmark": "template-data-service scale probe",
                "contracts": args.tables,
                "fields_per_contract": args.fields,
                "rows_per_table": args.rows,
                "tables_in_schema": len(schema["tables"]),
                "datasets_in_metrics": len(metrics["datasets"]),
                "metrics_errors": errors,
                "fixture_build_s": round(build_seconds, 2),
                "warmup_wait_s": args.warmup_wait,
                "startup_s": round(startup_seconds, 2),
                "schema_s": [round(t, 3) for t in schema_times],
                "metrics_s": [round(t, 3) for t in metrics_times],
                "metrics_median_s": round(statistics.median(metrics_times), 3),
                "schema_median_s": round(statistics.median(schema_times), 3),
            }
        )
    )
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
