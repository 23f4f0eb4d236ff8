#!/usr/bin/env bash
# Compliance benchmark: DataPact's sweep of 1,000 contracts vs datacontract-cli, one JSON line.
# The peer lives in its own virtual environment (never the project's), created on first run.
set -euo pipefail
cd "$(dirname "$0")/../.."
PEER_VENV=benchmarks/compliance/.venv-peer
if [ ! -x "$PEER_VENV/bin/datacontract" ]; then
  echo "creating $PEER_VENV with datacontract-cli[postgres]" >&2
  python3 -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install --quiet --upgrade pip >&2
  "$PEER_VENV/bin/pip" install --quiet 'datacontract-cli[postgres]' >&2
fi
exec .venv/bin/python benchmarks/compliance/bench.py "$@"
