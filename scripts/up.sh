#!/usr/bin/env bash
# `make up`: the whole platform natively, first-time set-up included, idempotent.
#   scripts/up.sh            foreground: honcho's output here (and in .run/honcho.log); Ctrl-C stops all
#   scripts/up.sh --detach   returns once everything answers; `make down` stops it
# Every step can run again: installs only when a lock file changed, databases and migrations
# only when missing, the template data and the example organisation are seeded idempotently.
# PGHOST/PGPORT and REDIS_HOST/REDIS_PORT name the servers to check (default 127.0.0.1:5432/6379).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
mkdir -p .run
export PATH="$ROOT/.venv/bin:$PATH" # the Procfile's uvicorn, celery and python are the venv's

DETACH=0
for arg in "$@"; do
  case $arg in
    --detach | -d) DETACH=1 ;;
    -h | --help) sed -n '2,8p' "$0" | cut -c3-; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m%s\033[0m\n' "$*"; }
fail() { printf '\033[1;31m%s\033[0m\n' "$*" >&2; exit 1; }
started=$(date +%s)

# 0. not twice, and nothing else on our ports ----------------------------------------
# One `make up` per checkout at a time: the lock is held by this script and, through the
# inherited descriptor, by honcho for as long as the platform runs.
exec 9>>.run/up.lock
if ! flock -n 9; then
  fail "another 'make up' of this checkout is starting or running; 'make down' stops it."
fi
if [ -f .run/honcho.pid ]; then
  if [[ "$(ps -o stat= -p "$(cat .run/honcho.pid)" 2>/dev/null)" == [^Z]* ]]; then
    fail "DataPact is already running (honcho pid $(cat .run/honcho.pid)); 'make down' stops it."
  fi
  rm -f .run/honcho.pid
fi
PORTS="8001 8002 8003 8004 8005 3000 1025 8025"
busy=""
for port in $PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    holder=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -oE 'users:\(\("[^"]+",pid=[0-9]+' | head -1 \
      | sed -E 's/users:\(\("([^"]+)",pid=([0-9]+)/\1, pid \2/')
    busy+="  port $port is in use${holder:+ ($holder)}"$'\n'
  fi
done
[ -z "$busy" ] || fail "cannot start DataPact, its ports are taken:
${busy}Stop what holds them (a previous 'make up'? try 'make down') and run 'make up' again."

# 1. infrastructure and environments (re-installed only when a lock file changed) ----
command -v npm >/dev/null 2>&1 || fail "npm not found: install Node.js 20 (the dashboard needs it)."
scripts/ensure-infra.sh 9>&- # a server it starts must not hold our lock
# Poetry is found or installed by scripts/poetry (never `pip --user`, refused in a venv)
scripts/install.sh || fail "installing the environments failed (see above)"
if [ -f frontend/package-lock.json ]; then
  # Pre-bundle the dashboard's dependencies in a process of its own: done by the dev server
  # instead, the bundling's memory stays with it (docs/operations.md, "Memory footprint").
  if [ ! -f frontend/node_modules/.vite/deps/_metadata.json ]; then
    say "pre-bundling the dashboard's dependencies (vite optimize)"
    (cd frontend && node_modules/.bin/vite optimize --logLevel error) >/dev/null 2>&1 ||
      say "vite optimize failed; the dev server will bundle them itself"
  fi
fi
if [ ! -f .env ]; then
  cp .env.example .env
  say "created .env from .env.example"
fi
# Every step below (migrations, seeds, the token) and every process sees the same settings:
# .env read once with python-dotenv (the parser pydantic-settings uses; honcho's own would
# squeeze the spaces out of an unquoted value), exported, and handed down to honcho's
# processes (honcho itself gets -e /dev/null). A variable already set in the environment wins.
dotenv=$(python - <<'PY'
import os
import shlex
from dotenv import dotenv_values
for key, value in dotenv_values(".env").items():
    if key.isidentifier() and value is not None and key not in os.environ:
        print(f"export {key}={shlex.quote(value)}")
PY
) || fail "could not read .env"
eval "$dotenv"

# 3. databases -----------------------------------------------------------------------
say "databases and migrations"
scripts/init-db.sh
if ! scripts/run-migrations.sh >.run/migrations.log 2>&1; then
  cat .run/migrations.log >&2
  fail "a migration failed (see above)"
fi
grep -E '^== |Running upgrade' .run/migrations.log | sed -E 's/^INFO +\[alembic[^]]*\] /   /' || true
if [ -f services/template-data-service/alembic.ini ]; then
  # the example database the data agent serves: the shop and the example organisation's
  # tables (schema acme), a few problems planted on purpose (docs/agent.md)
  say "example data"
  python -m data_service.seed >/dev/null || fail "seeding the example data failed (see above)"
fi

# 4. processes ---------------------------------------------------------------------
processes=$(grep -oE '^[a-z-]+' Procfile | tr '\n' ' ')
if [ ! -f frontend/package.json ]; then processes=${processes/frontend /}; fi
say "starting: $processes"
: >.run/honcho.log
if [ "$DETACH" = 1 ]; then
  # its own session: neither this terminal's Ctrl-C nor its closing reaches it
  setsid honcho start -f Procfile -e /dev/null $processes >>.run/honcho.log 2>&1 </dev/null &
else
  honcho start -f Procfile -e /dev/null $processes > >(tee -ai .run/honcho.log) 2>&1 &
fi
honcho_pid=$!
echo "$honcho_pid" >.run/honcho.pid

stop() {
  trap - INT TERM HUP
  echo
  say "stopping DataPact"
  scripts/down.sh --quiet || true
  exit "${1:-0}"
}
trap 'stop 0' INT TERM HUP

wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do
    curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null && return 0
    kill -0 "$honcho_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}
log_has() { grep -q "$1" .run/honcho.log 2>/dev/null; }
wait_log() { # pattern, seconds
  for _ in $(seq 1 "$2"); do
    log_has "$1" && return 0
    kill -0 "$honcho_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

say "waiting for every process to answer"
problems=""
check() { # name, how...
  local name=$1
  shift
  if "$@"; then
    [ "$DETACH" = 1 ] && printf '  %-20s ok\n' "$name"
    return 0
  fi
  problems+=" $name"
}
check contract-api wait_for http://127.0.0.1:8001/health 120
check dictionary-api wait_for http://127.0.0.1:8002/health 60
check data-agent wait_for http://127.0.0.1:8003/health 60
check example-data wait_log 'example-data: refreshing' 30
check notification-api wait_for http://127.0.0.1:8004/health 60
check monitor-api wait_for http://127.0.0.1:8005/health 60
check mail-sink wait_for http://127.0.0.1:8025/api/v2/messages 30
if [[ " $processes " == *" frontend "* ]]; then
  check frontend wait_for http://127.0.0.1:3000/ 60
  check frontend-proxy wait_for "http://127.0.0.1:3000/api/v1/contracts?limit=1" 30
fi
check contract-worker wait_log 'contract-worker@.* ready\.' 60
check notification-worker wait_log 'notification-worker@.* ready\.' 60
check monitor-worker wait_log 'monitor-worker@.* ready\.' 60
check monitor-beat wait_log 'beat: Starting' 30

if ! kill -0 "$honcho_pid" 2>/dev/null; then
  rm -f .run/honcho.pid
  [ "$DETACH" = 1 ] && tail -n 40 .run/honcho.log >&2
  fail "DataPact stopped while starting (a process exited; see the log above, also in .run/honcho.log)."
fi
if [ -n "$problems" ]; then
  say "not answering:$problems -- stopping (the log is in .run/honcho.log)"
  [ "$DETACH" = 1 ] && tail -n 40 .run/honcho.log >&2
  stop 1
fi

# 5. the example organisation, a token, the URLs ------------------------------------------
if [ -f scripts/seed-example-data.py ]; then
  say "loading the example organisation"
  python scripts/seed-example-data.py --url http://127.0.0.1:8001 \
    --notification-url http://127.0.0.1:8004 || say "(seeding failed; see above)"
fi
token=$(datapact token create --sub dev-admin --scope admin --ttl-days 30 2>/dev/null || true)
cat <<MSG

$(say "DataPact is running ($(($(date +%s) - started)) s)")
  Dashboard            http://localhost:3000
  Contract service     http://localhost:8001/docs
  Dictionary service   http://localhost:8002/docs
  Data agent           http://localhost:8003/metrics  (the example database, 17 contracts)
  Notifications        http://localhost:8004/docs
  Compliance monitor   http://localhost:8005/docs
  Mail sink            http://localhost:8025  (SMTP on 1025; API /api/v2/messages)
  Logs                 .run/honcho.log

  Development admin token (30 days; another: .venv/bin/datapact token create --sub you --scope admin):
  ${token:-<could not create one: run make install>}

MSG
if [ "$DETACH" = 1 ]; then
  echo "  Running in the background (honcho pid $honcho_pid); 'make down' stops it."
  exit 0
fi
echo "  Ctrl-C stops everything."
set +e
wait "$honcho_pid"
status=$?
if [ ! -f .run/honcho.pid ]; then # `make down` from elsewhere took it away
  say "stopped by 'make down'"
  exit 0
fi
# honcho ended by itself (a process died): make sure nothing is left behind
say "a process stopped, so honcho stopped them all (see above; also .run/honcho.log)"
scripts/down.sh --quiet || true
exit "$status"
