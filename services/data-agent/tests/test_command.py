"""``datapact-agent serve`` as a real process: flags, their environment names, and a clear
refusal of bad settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from datapact_testing.processes import ServiceProcess, free_port

AGENT = [sys.executable, "-m", "datapact_agent.cli"]


def test_serve_with_flags_answers_the_protocol(shop_url: str, shop_contracts: Path) -> None:
    port = free_port()
    args = [*AGENT, "serve", "--database-url", shop_url, "--contracts", str(shop_contracts),
            "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    env = {"ENVIRONMENT": "test", "AGENT_PORT": "1"}  # the flag wins over the environment
    with ServiceProcess("data-agent", args, env=env, health_url=f"{base}/health"):
        health = httpx.get(f"{base}/health").json()
        assert health["dependencies"] == {"database": "ok"}
        assert httpx.get(f"{base}/schema").json()["engine"] == "postgresql"
        assert "film" in httpx.get(f"{base}/schema").json()["tables"]
        metrics = httpx.get(f"{base}/metrics", timeout=30).json()
        assert metrics["datasets"]["films"]["row_count"] == 4


def test_serve_reads_the_environment_names(shop_url: str, shop_contracts: Path) -> None:
    port = free_port()
    env = {
        "ENVIRONMENT": "test",
        "AGENT_DATABASE_URL": shop_url,
        "AGENT_CONTRACTS": str(shop_contracts.parent),  # a folder of contract files
        "AGENT_PORT": str(port),
    }
    base = f"http://127.0.0.1:{port}"
    with ServiceProcess("data-agent", [*AGENT, "serve"], env=env, health_url=f"{base}/health"):
        metrics = httpx.get(f"{base}/metrics", timeout=30).json()
        assert "customers" in metrics["datasets"]


def test_bad_settings_exit_with_the_reason(tmp_path: Path) -> None:
    result = subprocess.run(
        [*AGENT, "serve", "--database-url", "postgresql://h/db", "--contracts", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"ENVIRONMENT": "test", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2
    assert "no contract files" in result.stderr
