"""Instructions per `POST /api/v1/contracts`, in-process, under cachegrind: a figure the
machine's load does not move (docs/performance.md, "Creates").

Migrates a throwaway database, then runs this script twice under
``valgrind --tool=cachegrind --cache-sim=no``, each run driving the ASGI app directly (its
lifespan, then requests as uvicorn hands them over: no server, no HTTP client) with ``--base``
+ 50 and ``--base`` + 250 creates of the registry benchmark's document (20 fields), each under
a name of its own; the difference of the two totals over 200 is the cost of one create,
start-up and warm-up cancelled out. ``--ceiling`` does the same for the ceiling's insert
(benchmarks/ceiling/app.py) on the same database. ``--profile FILE`` runs the creates once
under cProfile instead (no valgrind) and writes its stats to FILE.

    .venv/bin/python benchmarks/registry/instructions_per_create.py [--ceiling]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import orjson
from inprocess import REPO, SERVICE_DIR, call, instructions
from inprocess import env as inprocess_env

MEASURED = 200
PATH = "/api/v1/contracts"


def _bodies(count: int) -> list[bytes]:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench import contract

    run = uuid.uuid4().hex[:8]  # unique names across runs on the same database
    bodies = []
    for i in range(count):
        document = contract(i, 20)
        document["name"] = f"instr_{run}_{i:05d}"
        bodies.append(orjson.dumps(document))
    return bodies


async def _drive(target: str, bodies: list[bytes], warm: int, profile: str | None) -> None:
    if target == "ceiling":
        sys.path.insert(0, str(REPO / "benchmarks" / "ceiling"))
        from app import app

        expected = {200, 201}
    else:
        from contract_service.main import app

        expected = {201}
    from datapact_testing.tokens import admin_token

    headers = [(b"authorization", f"Bearer {admin_token('bench')}".encode())]
    async with app.router.lifespan_context(app):
        for body in bodies[:warm]:
            await call(app, "POST", PATH, headers, body)
        gc.collect()
        gc.freeze()
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        for body in bodies[warm:]:
            status, out = await call(app, "POST", PATH, headers, body)
            if status not in expected:
                raise SystemExit(f"{status}: {out[:500]!r}")
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(profile)


def _instructions(args: argparse.Namespace, database: str, target: str, count: int) -> int:
    arguments = ["--drive", target, "--requests", str(count), "--base", str(args.base)]
    return instructions(__file__, database, arguments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=100, help="creates both runs make")
    parser.add_argument("--ceiling", action="store_true", help="the ceiling's inserts too")
    parser.add_argument("--profile", help="cProfile the service's creates into this file")
    parser.add_argument("--drive", choices=["service", "ceiling"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.drive:  # inside valgrind (or the profile): the requests only
        bodies = _bodies(args.requests)
        asyncio.run(_drive(args.drive, bodies, warm=50, profile=args.profile))
        return

    from datapact_testing.postgres import drop_database, migrated_database

    database = migrated_database(SERVICE_DIR, "bench_create").rsplit("/", 1)[1]
    try:
        if args.profile:
            command = [
                sys.executable, __file__, "--drive", "service", "--database", database,
                "--requests", str(args.base + MEASURED), "--profile", args.profile,
            ]  # fmt: skip
            env = {**os.environ, **inprocess_env(database), "PYTHONHASHSEED": "0"}
            subprocess.run(command, env=env, check=True, cwd=SERVICE_DIR)
            print(json.dumps({"benchmark": "instructions_per_create", "profile": args.profile}))
            return
        result: dict[str, Any] = {"benchmark": "instructions_per_create"}
        targets = ["service", *(["ceiling"] if args.ceiling else [])]
        for target in targets:
            low = _instructions(args, database, target, args.base + 50)
            high = _instructions(args, database, target, args.base + 50 + MEASURED)
            result[f"{target}_instructions_per_create"] = round((high - low) / MEASURED)
        if args.ceiling:
            ratio = (
                result["ceiling_instructions_per_create"]
                / result["service_instructions_per_create"]
            )
            result["ceiling_vs_service"] = round(ratio, 3)
    finally:
        drop_database(database)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
