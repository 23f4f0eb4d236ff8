#!/usr/bin/env bash
# `make e2e`: the service suites' end-to-end cases (tests marked `e2e`, which `make test`
# leaves out), the whole-system scenario (e2e/, real processes on free ports, e2e_* databases,
# Redis DB 15), then the dashboard's browser tests when scripts/e2e-frontend.sh exists.
# Exit status: non-zero when any part fails (pytest's 5, "no tests collected", included).
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-infra.sh || exit 1

E2E_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/datapact-e2e.XXXXXX")
export E2E_RUN_DIR

# The test session stops what it started; should pytest itself die (SIGKILL, OOM), end the
# process groups it recorded in $E2E_RUN_DIR/pids (by id, nothing else).
kill_leftovers() {
  if [ -s "$E2E_RUN_DIR/pids" ]; then
    while read -r pgid; do
      if [ -n "$pgid" ] && kill -0 -- "-$pgid" 2>/dev/null; then
        echo "e2e: ending leftover process group $pgid" >&2
        kill -KILL -- "-$pgid" 2>/dev/null || true
      fi
    done <"$E2E_RUN_DIR/pids"
    : >"$E2E_RUN_DIR/pids"
  fi
}
cleanup() {
  kill_leftovers
  if [ "${E2E_KEEP_LOGS:-0}" != "1" ]; then rm -rf "$E2E_RUN_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
# every package whose tests mark a case e2e, in a pytest process of its own (own conftest)
for tests in $(grep -rlE 'pytest\.mark\.e2e' --include='test_*.py' services/*/tests shared/*/tests cli/tests 2>/dev/null |
  sed -E 's#^((services|shared)/[^/]+|cli)/tests/.*#\1#' | sort -u); do
  echo "== e2e: $tests (tests marked e2e)"
  .venv/bin/python -m pytest "$tests/tests" -q -p no:cacheprovider -m e2e || status=1
done

echo "== e2e: platform scenario, faults and load (logs in $E2E_RUN_DIR)"
.venv/bin/python -m pytest e2e -q -p no:cacheprovider --timeout="${E2E_TEST_TIMEOUT:-900}"
rc=$?
kill_leftovers
if [ $rc -ne 0 ]; then
  [ $rc -eq 5 ] && echo "e2e: no tests collected" >&2
  status=1
fi

if [ -x scripts/e2e-frontend.sh ]; then
  echo "== e2e: dashboard browser tests (scripts/e2e-frontend.sh)"
  scripts/e2e-frontend.sh || status=1
fi

if [ $status -ne 0 ]; then echo "e2e FAILED" >&2; else echo "e2e passed"; fi
exit $status
