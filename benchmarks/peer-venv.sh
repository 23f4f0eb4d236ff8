#!/usr/bin/env bash
# Creates datacontract-cli's own virtual environment (never the project's) if it is missing;
# the agent and compliance benchmarks both run it as their peer.
set -euo pipefail
cd "$(dirname "$0")/.."
PEER_VENV=benchmarks/compliance/.venv-peer
if [ ! -x "$PEER_VENV/bin/datacontract" ]; then
  echo "creating $PEER_VENV with datacontract-cli[postgres] 1.2.8" >&2
  python3 -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install --quiet --upgrade pip >&2
  "$PEER_VENV/bin/pip" install --quiet 'datacontract-cli[postgres]==1.2.8' >&2
fi
