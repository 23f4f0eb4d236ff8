#!/usr/bin/env bash
# Runs every benchmark (benchmarks/<area>/run.sh or bench.py); each prints one JSON line.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for dir in benchmarks/*/; do
  area=$(basename "$dir")
  if [ -x "$dir/run.sh" ]; then
    echo "== $area" >&2; "$dir/run.sh" || status=1
  elif [ -f "$dir/bench.py" ]; then
    echo "== $area" >&2; .venv/bin/python "$dir/bench.py" || status=1
  fi
done
exit $status
