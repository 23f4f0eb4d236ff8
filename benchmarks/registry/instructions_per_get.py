"""Instructions per `GET /api/v1/contracts/name/{name}` (or by id), in-process, under cachegrind:
a figure the machine's load does not move (docs/performance.md, "Instructions per request").

Loads ``--contracts`` contracts into a throwaway database through the app, then runs this
script twice under ``valgrind --tool=cachegrind --cache-sim=no``, each run driving the ASGI
app directly (its lifespan, then requests as uvicorn hands them over: no server, no HTTP
client) with ``--base`` + 100 and ``--base`` + 400 requests; the difference of the two totals
over 300 is the cost of one request, start-up and warm-up cancelled out. ``--ceiling`` does
the same for benchmarks/ceiling/app.py on the same database.

    .venv/bin/python benchmarks/registry/instructions_per_get.py [--path name|id] [--ceiling]

Prints one JSON line. Two runs of the same code agree within ~1 %.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

from inprocess import REPO, SERVICE_DIR, call, instructions

TOKEN_ENV = "INSTRUCTIONS_TOKEN"  # a reader's bearer token, sent when set
PLAIN_ENV = "INSTRUCTIONS_PLAIN_ROUTING"  # set by --plain-routing


async def _drive(target: str, paths: list[str], warm: int) -> None:
    if target == "ceiling":
        sys.path.insert(0, str(REPO / "benchmarks" / "ceiling"))
        from app import app
    else:
        from contract_service.main import app

        if os.environ.get(PLAIN_ENV):  # FastAPI's routing only: no fast routes
            from contract_service.contracts.fast_reads import FastRead

            routes = app.router.routes
            routes[:] = [route for route in routes if not isinstance(route, FastRead)]
    token = os.environ.get(TOKEN_ENV)
    headers = [(b"authorization", b"Bearer " + token.encode())] if token else []
    async with app.router.lifespan_context(app):
        for path in paths[:warm]:
            await call(app, "GET", path, headers)
        gc.collect()
        gc.freeze()
        for path in paths[warm:]:
            status, _ = await call(app, "GET", path, headers)
            if status != 200:
                raise SystemExit(f"{path}: {status}")


def _paths(kind: str, keys: list[str], count: int) -> list[str]:
    pick = random.Random(17)
    prefix = "/api/v1/contracts/" + ("name/" if kind == "name" else "")
    return [prefix + pick.choice(keys) for _ in range(count)]


def _instructions(args: argparse.Namespace, database: str, target: str, count: int) -> int:
    arguments = [
        "--drive", target, "--path", args.path, "--contracts", str(args.contracts),
        "--requests", str(count), "--base", str(args.base),
    ]  # fmt: skip
    extra = {PLAIN_ENV: "1"} if args.plain_routing else {}
    return instructions(__file__, database, arguments, extra)


def _keys(database: str, kind: str) -> list[str]:
    import psycopg

    from datapact_testing.postgres import sync_dsn

    column = "name" if kind == "name" else "id::text"
    with psycopg.connect(sync_dsn(database)) as connection:
        return [row[0] for row in connection.execute(f"SELECT {column} FROM contracts")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--path", choices=["name", "id"], default="name")
    parser.add_argument("--base", type=int, default=301, help="requests both runs make")
    parser.add_argument("--ceiling", action="store_true", help="the ceiling's too (by name)")
    parser.add_argument(
        "--plain-routing", action="store_true", help="the service without its fast routes"
    )
    parser.add_argument("--drive", choices=["service", "ceiling"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help="a database loaded by an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the database (and name it)")
    parser.add_argument("--requests", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.drive:  # inside valgrind: the requests only
        keys = _keys(args.database, args.path)
        paths = _paths(args.path, keys, args.requests)
        asyncio.run(_drive(args.drive, paths, warm=100))
        return

    sys.path.insert(0, str(Path(__file__).parent))
    from bench import load, start_server

    from datapact_testing.postgres import drop_database, migrated_database

    database = args.database or migrated_database(SERVICE_DIR, "bench_instr").rsplit("/", 1)[1]
    try:
        if not args.database:
            server = start_server(database, 1)
            try:
                asyncio.run(load(server.base_url or "", args.contracts, 20, 8))
            finally:
                server.stop()
        result: dict[str, Any] = {
            "benchmark": "instructions_per_get",
            "path": args.path,
            "plain_routing": args.plain_routing,
        }
        targets = ["service", *(["ceiling"] if args.ceiling else [])]
        for target in targets:
            low = _instructions(args, database, target, args.base + 100)
            high = _instructions(args, database, target, args.base + 400)
            result[f"{target}_instructions_per_get"] = round((high - low) / 300)
        if args.ceiling:
            ratio = result["ceiling_instructions_per_get"] / result["service_instructions_per_get"]
            result["ceiling_vs_service"] = round(ratio, 3)
    finally:
        if not (args.keep or args.database):
            drop_database(database)
    print(json.dumps({**result, **({"database": database} if args.keep else {})}), flush=True)


if __name__ == "__main__":
    main()
