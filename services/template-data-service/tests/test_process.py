"""The template app as a real process. (The Procfile serves the example database with the
data agent instead: services/data-agent/tests/test_example_data.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


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
