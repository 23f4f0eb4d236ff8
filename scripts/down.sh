#!/usr/bin/env bash
# Stops a platform started with `make up` (its honcho process group).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .run/honcho.pid ] && kill -0 "$(cat .run/honcho.pid)" 2>/dev/null; then
  kill -TERM "$(cat .run/honcho.pid)"
  echo "stopped DataPact (honcho $(cat .run/honcho.pid))"
  rm -f .run/honcho.pid
else
  echo "DataPact is not running (no live .run/honcho.pid)"
fi
