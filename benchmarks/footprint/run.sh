#!/usr/bin/env bash
# Memory footprint of the idle platform (`make up`: every API, worker, beat, the dashboard's
# server, the mail sink): RSS per Procfile entry (process tree) and in total, one JSON line.
# Measures the platform already running from this checkout; otherwise starts it with
# `scripts/up.sh --detach`, measures once it is idle, and stops it again.
#   benchmarks/footprint/run.sh        (also run by `make bench`)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python

started_here=0
if [ -f .run/honcho.pid ] && kill -0 "$(cat .run/honcho.pid)" 2>/dev/null; then
  echo "footprint: measuring the running platform (honcho $(cat .run/honcho.pid))" >&2
else
  echo "footprint: starting the platform (scripts/up.sh --detach; log in .run/footprint-up.log)" >&2
  mkdir -p .run
  trap 'scripts/down.sh --quiet >&2 || true' EXIT
  trap 'exit 130' INT TERM
  started_here=1
  if ! scripts/up.sh --detach >.run/footprint-up.log 2>&1; then
    tail -n 20 .run/footprint-up.log >&2
    echo "footprint: the platform did not start" >&2
    exit 1
  fi
fi
# idle: the start-up sweeps, the first dictionary sync and the seed are over
"$PY" benchmarks/footprint/measure.py
[ "$started_here" = 1 ] && echo "footprint: stopping the platform it started" >&2
exit 0
