"""The Procfile's `template-api` command runs the service as a real process."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import httpx

from datapact_testing.postgres import async_url
from datapact_testing.processes import ServiceProcess, free_port

REPO = Path(__file__).resolve().parents[3]


def procfile_command() -> list[str]:
    for line in (REPO / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == "template-api":
            return shlex.split(command)
    raise AssertionError("Procfile has no template-api entry")


def test_procfile_entry_serves_the_protocol(database: str) -> None:
    command = procfile_command()
    assert command[:2] == ["uvicorn", "data_service.main:app"]
    assert command[command.index("--port") + 1] == "8003"
    port = free_port()
    command[command.index("--port") + 1] = str(port)
    args = [sys.executable, "-m", *command]
    env = {"TEMPLATE_DATABASE_URL": async_url(database), "ENVIRONMENT": "test"}
    base = f"http://127.0.0.1:{port}"
    with ServiceProcess("template-api", args, env=env, cwd=REPO, health_url=f"{base}/health"):
        assert httpx.get(f"{base}/health").json()["dependencies"] == {"database": "ok"}
        schema = httpx.get(f"{base}/schema").json()
        assert set(schema["tables"]) == {"customers", "products", "orders", "order_items"}
        metrics = httpx.get(f"{base}/metrics").json()
        assert set(metrics["datasets"]) == {
            "shop_customers", "shop_products", "shop_orders", "shop_order_items"
        }  # fmt: skip


def test_a_broken_contracts_file_stops_startup(tmp_path: Path) -> None:
    broken = tmp_path / "contract.yaml"
    broken.write_text("name: Not-A-Name\n")
    result = subprocess.run(
        [sys.executable, "-c", "import data_service.main"],
        env={"CONTRACTS_PATH": str(broken), "ENVIRONMENT": "test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ContractsFileError" in result.stderr
    assert str(broken) in result.stderr
