"""The in-process drivers' shared parts (instructions_per_get.py, instructions_per_create.py):
the contract-service's environment on a benchmark database, one request handed to an ASGI app
as uvicorn hands it over (no server, no HTTP client), and the cachegrind run that counts the
instructions of a driver script.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SERVICE_DIR = REPO / "services" / "contract-service"


def env(database: str) -> dict[str, str]:
    """The contract-service's (and the ceiling's, ``CEILING_DSN``) settings on ``database``."""
    from datapact_common.settings import DEVELOPMENT_SECRET
    from datapact_testing.postgres import async_url, sync_dsn

    return {
        "ENVIRONMENT": "test",
        "CONTRACT_DATABASE_URL": async_url(database),
        "CEILING_DSN": sync_dsn(database),
        "CONTRACT_REDIS_URL": "redis://127.0.0.1:6379/7",
        "DATAPACT_SECRET_KEY": DEVELOPMENT_SECRET,
        "DICTIONARY_NUDGE_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }


async def call(
    app: Any,
    method: str,
    path: str,
    headers: list[tuple[bytes, bytes]],
    body: bytes = b"",
) -> tuple[int, bytes]:
    """One request to ``app``: its status and body. A ``body`` is sent as JSON, with its
    length; after it, ``receive`` waits as a connection that never disconnects does."""
    sent_headers = [(b"host", b"127.0.0.1:8000")]
    if body:
        sent_headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [*sent_headers, *headers],
        "state": {},
    }
    status = 0
    out = b""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # a disconnect never comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, out
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            out += message.get("body", b"")

    await app(scope, receive, send)
    return status, out


def instructions(
    script: str, database: str, arguments: list[str], extra_env: dict[str, str] | None = None
) -> int:
    """Instructions (cachegrind's ``I refs``) of ``script --database DATABASE *arguments``
    run in the service's directory with ``env(database)`` and a fixed hash seed."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "cachegrind.out"
        command = [
            "valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
            sys.executable, script, "--database", database, *arguments,
        ]  # fmt: skip
        run_env = {**os.environ, **env(database), "PYTHONHASHSEED": "0", **(extra_env or {})}
        run = subprocess.run(command, env=run_env, capture_output=True, text=True, cwd=SERVICE_DIR)
        if run.returncode:
            raise SystemExit(run.stderr[-3000:])
        summary = re.search(r"I\s*refs:\s*([\d,]+)", run.stderr)
        assert summary, run.stderr[-2000:]
        return int(summary.group(1).replace(",", ""))
