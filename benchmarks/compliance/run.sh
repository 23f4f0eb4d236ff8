#!/usr/bin/env bash
# Compliance benchmark: DataPact's sweep of 1,000 contracts vs datacontract-cli, one JSON line.
# The peer lives in its own virtual environment (never the project's), created on first run.
set -euo pipefail
cd "$(dirname "$0")/../.."
benchmarks/peer-venv.sh
exec .venv/bin/python benchmarks/compliance/bench.py "$@"
