"""Resident memory of a running `make up` platform, per Procfile entry and in total.

    .venv/bin/python benchmarks/footprint/measure.py [--idle-timeout 120]

Reads .run/honcho.log for the pid honcho started for each Procfile entry ("<name>.1 started
(pid=N)") and sums over that process and all its descendants (/proc only, no dependencies):

- ``processes`` / ``total_rss_mb``: RSS per entry and their sum (what the target is about);
- ``total_pss_mb``: PSS of the same processes plus honcho (pages shared between processes,
  e.g. a Celery worker and its forked pool child, counted once): the memory really used;
- ``honcho_rss_mb`` / ``honcho_pss_mb``: honcho itself, which runs one reader process per
  entry (forked, so mostly shared pages: its RSS sum says little, its PSS is the cost).

It first waits until the platform is idle: its processes together used less than
``--idle-cpu`` of one core in two ``--idle-window``-second windows in a row (start-up
sweeps, the first sync and the seed are over), at most ``--idle-timeout`` seconds.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

STARTED = re.compile(r"\| ([a-z0-9-]+)\.\d+ +started \(pid=(\d+)\)")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after the last ')'
    return text.rsplit(")", 1)[1].split()


def children_map() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def tree_of(pid: int, tree: dict[int, list[int]]) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        if Path(f"/proc/{current}").exists():
            found.append(current)
        todo.extend(tree.get(current, []))
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        if (fields := _stat(pid)) is not None:
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def entries(log: Path) -> dict[str, int]:
    started: dict[str, int] = {}
    for match in STARTED.finditer(log.read_text(errors="replace")):
        started[match.group(1)] = int(match.group(2))  # the latest start of each entry
    return started


def honcho_pid(run: Path) -> int | None:
    try:
        pid = int((run / "honcho.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


def wait_idle(pids: list[int], cpu: float, window: float, timeout: float) -> float:
    """Seconds waited until the processes used < cpu cores in two windows in a row; -1 on
    timeout (measured anyway)."""
    start = time.monotonic()
    quiet = 0
    while time.monotonic() - start < timeout:
        before = cpu_seconds(pids)
        time.sleep(window)
        quiet = quiet + 1 if (cpu_seconds(pids) - before) / window < cpu else 0
        if quiet == 2:
            return round(time.monotonic() - start, 1)
    return -1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", type=Path, default=Path(".run"))
    parser.add_argument("--idle-cpu", type=float, default=0.05, help="cores (default 0.05)")
    parser.add_argument("--idle-window", type=float, default=5.0)
    parser.add_argument("--idle-timeout", type=float, default=120.0)
    args = parser.parse_args()

    started = entries(args.run_dir / "honcho.log")
    if not started:
        print(f"no process started in {args.run_dir / 'honcho.log'}", file=sys.stderr)
        return 1
    tree = children_map()
    trees = {name: tree_of(pid, tree) for name, pid in started.items()}
    dead = [name for name, pids in trees.items() if not pids]
    if dead:
        print(f"not running: {', '.join(dead)}", file=sys.stderr)
        return 1
    honcho = honcho_pid(args.run_dir)
    ours = {p for pids in trees.values() for p in pids}
    honcho_own = [p for p in tree_of(honcho, tree) if p not in ours] if honcho else []

    waited = wait_idle(sorted(ours), args.idle_cpu, args.idle_window, args.idle_timeout)
    tree = children_map()  # again: pool processes may have been replaced meanwhile
    processes: dict[str, float] = {}
    os_processes: dict[str, int] = {}
    pss_total = 0
    for name, pid in started.items():
        pids = tree_of(pid, tree)
        rss = 0
        for p in pids:
            r, s = memory_kb(p)
            rss, pss_total = rss + r, pss_total + s
        processes[name] = round(rss / 1024, 1)
        os_processes[name] = len(pids)
    honcho_rss = honcho_pss = 0
    for p in honcho_own:
        r, s = memory_kb(p)
        honcho_rss, honcho_pss = honcho_rss + r, honcho_pss + s
    print(
        json.dumps(
            {
                "benchmark": "footprint",
                "total_rss_mb": round(sum(processes.values()), 1),
                "processes": dict(sorted(processes.items())),
                "total_pss_mb": round((pss_total + honcho_pss) / 1024, 1),
                "honcho_rss_mb": round(honcho_rss / 1024, 1),
                "honcho_pss_mb": round(honcho_pss / 1024, 1),
                "os_processes": dict(sorted(os_processes.items())),
                "idle_after_seconds": waited,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
