#!/usr/bin/env bash
# Runs test suites, several at a time, each in a process of its own with its own log:
#   scripts/test.sh <package dir | tests | frontend>...  (`make test`; order = start order)
# `tests` is the repository's tests/ (the hostile-client tests across every service).
# A Python package is `pytest <dir>/tests -m "not e2e"` (its conftest is independent of the
# others'; tests marked e2e run in `make e2e`); the
# suites can run side by side because each has its own databases (named by process id) and
# its own Redis DB (docs/conventions.md, "Redis databases"). `frontend` is `npm test`.
#   TEST_JOBS      suites at once (default 3: they wait on subprocesses, Celery and I/O)
#   TEST_PG_HEADROOM  free PostgreSQL connections needed to start one more suite beside those
#                  running (default 40; a suite with its APIs and workers peaks at ~30): on a
#                  server others use too, a suite waits rather than failing on "too many clients"
#   TEST_LOG_DIR   the logs, one per suite (default .run/test-logs)
#   PYTEST_ADDOPTS extra pytest options for every Python suite (pytest reads it itself)
# Prints a line per finished suite, then a summary; a failing suite's whole log is printed at
# the end. Exit status 0 only when every suite passed (pytest's 5, "no tests collected", is a
# failure here). Ctrl-C interrupts every suite (each runs its own teardown).
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${TEST_JOBS:-3}
HEADROOM=${TEST_PG_HEADROOM:-40}
ADMIN_DSN=${DATAPACT_TEST_ADMIN_DSN:-postgresql://postgres@127.0.0.1:5432/postgres}
LOG_DIR=${TEST_LOG_DIR:-.run/test-logs}
[ $# -gt 0 ] || { echo "usage: $0 <package dir | frontend>..." >&2; exit 2; }
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "TEST_JOBS must be a positive number" >&2; exit 2; }
mkdir -p "$LOG_DIR"
set -m # every suite in a process group of its own: Ctrl-C here is forwarded, not ignored

pg_free() { # connections PostgreSQL still accepts (a large number when it cannot be asked)
  psql "$ADMIN_DSN" -tAc "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity" \
    2>/dev/null || echo 9999
}

log_of() { echo "$LOG_DIR/$(echo "$1" | tr '/' '_').log"; }

run_suite() { # the command of one suite; its output goes to its log
  local suite=$1
  if [ "$suite" = frontend ]; then
    cd frontend && NO_COLOR=1 exec npm test
  fi
  local dir="$suite/tests"
  [ "$suite" = tests ] && dir=tests # the repository's own tests/: across every service
  if [ ! -d "$dir" ]; then
    echo "no tests/ folder in $suite"
    exit 5
  fi
  exec .venv/bin/python -m pytest "$dir" -q -p no:cacheprovider -m "not e2e"
}

outcome() { # "N passed, N failed, N skipped" of a finished suite, from the end of its log
  local log=$1 line
  line=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(=+ )?[0-9]+ (passed|failed|errors?|skipped)|no tests ran' | tail -1)
  if [ -z "$line" ]; then # Vitest: "      Tests  32 passed (32)"
    line=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests +[0-9]' | tail -1 | sed -E 's/^ +Tests +//; s/ \([0-9]+\)$//')
  fi
  echo "$line" | sed -E 's/^=+ //; s/ =+$//'
}
count() { # count <word> <outcome line>
  echo "$2" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' | head -1 || true
}

declare -A pid_of start_of
queue=("$@")
running=()
passed=() failed=()
total_passed=0 total_failed=0 total_skipped=0
started=$(date +%s)
echo "running ${#queue[@]} suites, $JOBS at a time (logs in $LOG_DIR/)"

interrupted=0
on_interrupt() {
  interrupted=1
  echo >&2
  echo "interrupted: stopping ${running[*]}" >&2
  for suite in "${running[@]}"; do kill -INT -- "-${pid_of[$suite]}" 2>/dev/null; done
}
trap on_interrupt INT TERM

finish() { # suite, exit status
  local suite=$1 rc=$2 seconds result n
  seconds=$(($(date +%s) - start_of[$suite]))
  result=$(outcome "$(log_of "$suite")")
  n=$(count passed "$result"); total_passed=$((total_passed + ${n:-0}))
  n=$(count skipped "$result"); total_skipped=$((total_skipped + ${n:-0}))
  n=$(count failed "$result"); total_failed=$((total_failed + ${n:-0}))
  n=$(count errors? "$result"); total_failed=$((total_failed + ${n:-0}))
  if [ "$rc" = 0 ]; then
    passed+=("$suite")
    printf '  ok     %-34s %4ss  %s\n' "$suite" "$seconds" "$result"
  else
    failed+=("$suite")
    [ "$rc" = 5 ] && result="no tests collected"
    printf '  FAILED %-34s %4ss  %s (exit %s)\n' "$suite" "$seconds" "${result:-no summary}" "$rc"
  fi
}

last_note=$started
waiting_since=0
while [ ${#queue[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
  while [ "$interrupted" = 0 ] && [ ${#queue[@]} -gt 0 ] && [ ${#running[@]} -lt "$JOBS" ]; do
    if [ ${#running[@]} -gt 0 ] && [ "$(pg_free)" -lt "$HEADROOM" ]; then
      if [ "$waiting_since" = 0 ]; then
        waiting_since=$(date +%s)
        echo "  ...    waiting for PostgreSQL connections ($(pg_free) free, $HEADROOM wanted) to start ${queue[0]}"
      fi
      break
    fi
    waiting_since=0
    suite=${queue[0]}
    queue=("${queue[@]:1}")
    run_suite "$suite" >"$(log_of "$suite")" 2>&1 </dev/null &
    pid_of[$suite]=$!
    start_of[$suite]=$(date +%s)
    running+=("$suite")
  done
  [ "$interrupted" = 1 ] && queue=()
  sleep 1
  still=()
  for suite in "${running[@]}"; do
    if kill -0 "${pid_of[$suite]}" 2>/dev/null; then
      still+=("$suite")
    else
      wait "${pid_of[$suite]}"
      finish "$suite" $?
    fi
  done
  running=("${still[@]}")
  now=$(date +%s)
  if [ ${#running[@]} -gt 0 ] && [ $((now - last_note)) -ge 120 ]; then
    echo "  ...    still running after $((now - started))s: ${running[*]}"
    last_note=$now
  fi
done

elapsed=$(($(date +%s) - started))
for suite in "${failed[@]}"; do
  echo
  echo "======== log of $suite ($(log_of "$suite")) ========"
  cat "$(log_of "$suite")"
done
echo
if [ "$interrupted" = 1 ]; then
  echo "interrupted after ${elapsed}s" >&2
  exit 130
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed[*]} (${elapsed}s)"
  echo "tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
  exit 1
fi
echo "all ${#passed[@]} suites passed in ${elapsed}s"
echo "tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
