#!/usr/bin/env bash
# Runs each Python package's tests in its own pytest process (their conftests are independent).
# A package without tests fails the run: pytest's exit code 5 is not success here.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
for pkg in "$@"; do
  if [ ! -d "$pkg/tests" ]; then
    echo "== $pkg: no tests/ folder" >&2; failed+=("$pkg"); continue
  fi
  echo "== $pkg"
  .venv/bin/python -m pytest "$pkg/tests" -q -p no:cacheprovider
  rc=$?
  if [ $rc -ne 0 ]; then
    [ $rc -eq 5 ] && echo "== $pkg: no tests collected" >&2
    failed+=("$pkg")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all Python packages passed"
