#!/usr/bin/env bash
# Runs the DataPact services for the dashboard's own development and browser tests on
# ports and databases of their own (18001-18005, fe_* databases, Redis DBs 5-7, mail sink
# SMTP 11025 / HTTP 18025), so they never collide with a platform someone else runs on the
# default ports.
#   frontend/scripts/local-stack.sh start    # migrate, start, seed the example organisation
#   frontend/scripts/local-stack.sh stop     # stop every process it started (and wait)
#   frontend/scripts/local-stack.sh reset    # stop, drop the fe_* databases, flush Redis DBs 5-7
#   frontend/scripts/local-stack.sh status   # which of its processes run
#   frontend/scripts/local-stack.sh env      # the proxy variables for the dashboard
# Then: $(frontend/scripts/local-stack.sh env) npm --prefix frontend run dev -- --port 13000
# (scripts/e2e-frontend.sh does all of it, with a production build, for the browser tests).
# The processes run in $FE_STACK_DIR (default /tmp/datapact-fe-stack: logs, pids), not in the
# repository, so a .env there does not leak into them; each is its own process group.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=${FE_STACK_DIR:-/tmp/datapact-fe-stack}
VENV=$ROOT/.venv/bin
PG=postgresql+asyncpg://postgres@127.0.0.1:5432
DATABASES="fe_contracts fe_dictionary fe_notifications fe_template_data"
REDIS_DBS="5 6 7"
PORTS="18001 18002 18003 18004 18005 11025 18025"
mkdir -p "$RUN"

export ENVIRONMENT=development DATAPACT_SECRET_KEY=datapact-development-secret-do-not-use-in-production
export CONTRACT_DATABASE_URL=$PG/fe_contracts DICTIONARY_DATABASE_URL=$PG/fe_dictionary
export NOTIFICATION_DATABASE_URL=$PG/fe_notifications TEMPLATE_DATABASE_URL=$PG/fe_template_data
export CONTRACT_REDIS_URL=redis://127.0.0.1:6379/5 NOTIFICATION_REDIS_URL=redis://127.0.0.1:6379/6
export MONITOR_REDIS_URL=redis://127.0.0.1:6379/7
export CONTRACT_SERVICE_URL=http://127.0.0.1:18001 DICTIONARY_SERVICE_URL=http://127.0.0.1:18002
export NOTIFICATION_SERVICE_URL=http://127.0.0.1:18004 MONITOR_SERVICE_URL=http://127.0.0.1:18005
export TEMPLATE_SERVICE_URL=http://127.0.0.1:18003
export NOTIFICATION_SMTP_HOST=127.0.0.1 NOTIFICATION_SMTP_PORT=11025
export NOTIFICATION_DASHBOARD_URL=${FE_DASHBOARD_URL:-http://127.0.0.1:13000}
export COMPLIANCE_ALLOWED_HOSTS=127.0.0.1:*,localhost:* TEMPLATE_GENERATOR_ENABLED=false

start_one() { # name, command...: its own process group (setsid), in $RUN
  local name=$1
  shift
  (cd "$RUN" && exec setsid "$@") >"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

wait_http() { # url, name
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null && return 0
    if ! kill -0 "$(cat "$RUN/$2.pid")" 2>/dev/null; then
      echo "$2 exited while starting; the end of $RUN/$2.log:" >&2
      tail -n 20 "$RUN/$2.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "timed out waiting for $1 ($2; log: $RUN/$2.log)" >&2
  return 1
}

running() { # prints "name pid" for each of our processes still alive
  local pidfile pid
  for pidfile in "$RUN"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    pgrep -g "$pid" >/dev/null 2>&1 && echo "$(basename "$pidfile" .pid) $pid"
  done
  return 0
}

stop() {
  local pidfile pid left
  for pidfile in "$RUN"/*.pid; do
    [ -f "$pidfile" ] || continue
    kill -TERM -- "-$(cat "$pidfile")" 2>/dev/null || true
  done
  for _ in $(seq 1 60); do # Celery's warm shutdown and uvicorn's lifespan take a moment
    [ -z "$(running)" ] && break
    sleep 0.25
  done
  left=$(running)
  if [ -n "$left" ]; then
    echo "killing what did not stop: $(echo "$left" | cut -d' ' -f1 | tr '\n' ' ')" >&2
    while read -r _ pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done <<<"$left"
  fi
  rm -f "$RUN"/*.pid
}

case "${1:-}" in
  start)
    if [ -n "$(running)" ]; then
      echo "the dashboard's stack is already running ($RUN: $(running | cut -d' ' -f1 | tr '\n' ' '));" >&2
      echo "'$0 stop' stops it" >&2
      exit 1
    fi
    busy=""
    for port in $PORTS; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy+=" $port"; fi
    done
    if [ -n "$busy" ]; then
      echo "cannot start the dashboard's stack: ports in use:$busy (another copy of it?)" >&2
      exit 1
    fi
    "$ROOT/scripts/ensure-infra.sh" >/dev/null
    DATAPACT_DATABASES=$DATABASES "$ROOT/scripts/init-db.sh" >/dev/null
    for pair in contract-service:CONTRACT dictionary-service:DICTIONARY notification-service:NOTIFICATION template-data-service:TEMPLATE; do
      svc=${pair%%:*} var=${pair##*:}_DATABASE_URL
      if ! (cd "$ROOT/services/$svc" && DATABASE_URL=${!var} "$VENV/alembic" upgrade head >"$RUN/migrate-$svc.log" 2>&1); then
        cat "$RUN/migrate-$svc.log" >&2
        exit 1
      fi
    done
    trap 'echo "start failed; stopping what was started" >&2; stop' ERR
    start_one mail-sink "$VENV/python" -m datapact_testing.mailsink --smtp-port 11025 --http-port 18025
    start_one contract-api "$VENV/uvicorn" contract_service.main:app --host 127.0.0.1 --port 18001
    start_one contract-worker "$VENV/celery" -A contract_service.worker.celery_app worker -B -s "$RUN/contract-beat" -Q contracts --pool=solo -n fe-contract@%h
    start_one dictionary-api "$VENV/uvicorn" dictionary_service.main:app --host 127.0.0.1 --port 18002
    # the data agent serving the example database, as the Procfile's data-agent does
    start_one data-agent "$VENV/datapact-agent" serve --database-url "$TEMPLATE_DATABASE_URL" \
      --contracts "$ROOT/examples/acme,$ROOT/services/template-data-service/contract.yaml" \
      --host 127.0.0.1 --port 18003
    start_one notification-api "$VENV/uvicorn" notification_service.main:app --host 127.0.0.1 --port 18004
    start_one notification-worker "$VENV/celery" -A notification_service.celery_app.celery_app worker -Q notifications --concurrency=1 -n fe-notification@%h
    start_one monitor-api "$VENV/uvicorn" compliance_monitor.main:app --host 127.0.0.1 --port 18005
    wait_http http://127.0.0.1:18001/health contract-api
    wait_http http://127.0.0.1:18002/health dictionary-api
    wait_http http://127.0.0.1:18003/health data-agent
    wait_http http://127.0.0.1:18004/health notification-api
    wait_http http://127.0.0.1:18005/health monitor-api
    wait_http http://127.0.0.1:18025/api/v2/messages mail-sink
    cd "$RUN"
    "$VENV/python" -m data_service.seed >"$RUN/seed-template.log" 2>&1 || { cat "$RUN/seed-template.log" >&2; false; }
    "$VENV/python" "$ROOT/scripts/seed-example-data.py" --url http://127.0.0.1:18001 \
      --notification-url http://127.0.0.1:18004 --agent-url "$TEMPLATE_SERVICE_URL" >"$RUN/seed.log" 2>&1 \
      || { cat "$RUN/seed.log" >&2; false; }
    trap - ERR
    echo "stack up: $(grep -o 'ready: .*' "$RUN/seed.log"); logs in $RUN"
    ;;
  stop)
    stop
    ;;
  reset)
    stop
    # someone else's copy of the stack (another FE_STACK_DIR) still uses the fe_* databases
    for port in $PORTS; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "not resetting: port $port is still in use (a copy of this stack started from another FE_STACK_DIR?)" >&2
        exit 1
      fi
    done
    for db in $DATABASES; do
      psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    done
    for n in $REDIS_DBS; do redis-cli -n "$n" flushdb >/dev/null; done
    rm -f "$RUN"/contract-beat*
    echo "dropped $DATABASES; flushed Redis DBs $REDIS_DBS"
    ;;
  status)
    left=$(running)
    if [ -n "$left" ]; then echo "$left"; else echo "not running"; exit 1; fi
    ;;
  env)
    echo "CONTRACT_SERVICE_URL=$CONTRACT_SERVICE_URL DICTIONARY_SERVICE_URL=$DICTIONARY_SERVICE_URL NOTIFICATION_SERVICE_URL=$NOTIFICATION_SERVICE_URL MONITOR_SERVICE_URL=$MONITOR_SERVICE_URL"
    ;;
  *)
    echo "usage: $0 start|stop|reset|status|env" >&2
    exit 2
    ;;
esac
