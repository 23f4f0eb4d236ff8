"""A standalone beat (`celery -A contract_service.worker.celery_app beat`, compose's
contract-beat) schedules what the Procfile's embedded beat (`worker -B`) does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# What `celery beat` does before it starts its scheduler: the loader's worker init (which
# imports the task modules), then the app's finalize. A fresh interpreter, so nothing this
# test session imported (contract_service.github.tasks) counts.
BEAT_SCHEDULE = """
from celery.apps.beat import Beat
from contract_service.worker import celery_app

Beat(app=celery_app, schedule=sys.argv[1]).init_loader()
for name, entry in sorted(celery_app.conf.beat_schedule.items()):
    print(name, entry["task"], entry["options"]["queue"])
"""


def test_a_standalone_beat_schedules_the_relay_sweeps_and_the_github_sweep(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + BEAT_SCHEDULE, str(tmp_path / "schedule")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "contract-outbox-relay",
        "contract-proposal-notices",
        "contract-sunset-reminders",
        "github-delivery-sweep",
    ]
    assert all(line.split()[2] == "contracts" for line in lines)
