#!/usr/bin/env bash
# Runs the given Python packages' tests: `scripts/test-python.sh services/contract-service ...`.
# Kept for habit's sake: scripts/test.sh runs them (several at a time, a log each, a summary).
exec "$(dirname "$0")/test.sh" "$@"
