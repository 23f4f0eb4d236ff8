#!/usr/bin/env bash
# Agent benchmark: /metrics on about 1M rows vs datacontract-cli on the same tables, one JSON line.
# The peer lives in its own virtual environment (never the project's), created on first run.
set -euo pipefail
cd "$(dirname "$0")/../.."
benchmarks/peer-venv.sh
exec .venv/bin/python benchmarks/agent/bench.py "$@"
