"""Starts the ceiling app (app.py) beside a benchmark, on that benchmark's database."""

from __future__ import annotations

import sys
from pathlib import Path

from datapact_testing.processes import ServiceProcess, free_port

HERE = Path(__file__).resolve().parent


def start_ceiling(database: str, workers: int) -> ServiceProcess:
    port = free_port()
    args = [
        sys.executable, "-m", "uvicorn", "app:app", "--app-dir", str(HERE),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    env = {"CEILING_DSN": f"postgresql://postgres@127.0.0.1:5432/{database}"}
    return ServiceProcess(
        "ceiling", args, env=env, cwd=HERE, health_url=f"{base}/health", base_url=base
    ).start()
