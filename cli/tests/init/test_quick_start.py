"""The README's quick start, "your database under contract in three commands", run as written:
`datapact init --from-db`, `datapact push` of the folder, `datapact-agent serve` (a real
process); the registry holds every contract and the agent finds every promise kept."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import httpx
from click.testing import Result

from datapact_testing.processes import ServiceProcess, free_port

Cli = Callable[..., Result]


def test_database_under_contract_in_three_commands(
    cli: Cli, online: Cli, library_url: str, tmp_path: Path
) -> None:
    port = free_port()
    out = tmp_path / "contracts"
    drafted = cli(
        "init", "--from-db", library_url, "--out", str(out),
        "--team", "checkout", "--owner", "ann", "--endpoint-url", f"http://127.0.0.1:{port}",
    )  # fmt: skip
    assert drafted.exit_code == 0, drafted.output
    pushed = online("push", str(out))
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stdout.count("created ") == 7
    agent = ServiceProcess(
        "data-agent",
        [
            str(Path(sys.executable).parent / "datapact-agent"), "serve",
            "--database-url", library_url, "--contracts", str(out), "--port", str(port),
        ],
        health_url=f"http://127.0.0.1:{port}/health",
    )  # fmt: skip
    agent.start()
    try:
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=60).json()
    finally:
        agent.stop()
    assert len(metrics["datasets"]) == 7
    for name, dataset in metrics["datasets"].items():
        assert dataset["errors"] == [], name
        # every condition the agent evaluates has a verdict; a value rule counts no row
        assert all(check["passed"] is True for check in dataset["checks"]), name
        assert all(check["violations"] in (0, None) for check in dataset["checks"]), name
    again = online("push", str(out))
    assert again.exit_code == 0
    assert again.stdout.count("unchanged") == 7
