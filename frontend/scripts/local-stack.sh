#!/usr/bin/env bash
# Runs the DataPact services for the dashboard's own development and browser tests on
# ports and databases of their own (18001-18005, fe_* databases, Redis DBs 5-7), so they never
# collide with a platform someone else runs on the default ports.
#   frontend/scripts/local-stack.sh start   # migrate, start, seed the example organisation
#   frontend/scripts/local-stack.sh stop
# Then: CONTRACT_SERVICE_URL=http://127.0.0.1:18001 ... npm run dev (see `env` below).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=${FE_STACK_DIR:-/tmp/datapact-fe-stack}
VENV=$ROOT/.venv/bin
PG=postgresql+asyncpg://postgres@127.0.0.1:5432
mkdir -p "$RUN"

export ENVIRONMENT=development DATAPACT_SECRET_KEY=datapact-development-secret-do-not-use-in-production
export CONTRACT_DATABASE_URL=$PG/fe_contracts DICTIONARY_DATABASE_URL=$PG/fe_dictionary
export NOTIFICATION_DATABASE_URL=$PG/fe_notifications TEMPLATE_DATABASE_URL=$PG/fe_template_data
export CONTRACT_REDIS_URL=redis://127.0.0.1:6379/5 NOTIFICATION_REDIS_URL=redis://127.0.0.1:6379/6
export MONITOR_REDIS_URL=redis://127.0.0.1:6379/7
export CONTRACT_SERVICE_URL=http://127.0.0.1:18001 DICTIONARY_SERVICE_URL=http://127.0.0.1:18002
export NOTIFICATION_SERVICE_URL=http://127.0.0.1:18004 MONITOR_SERVICE_URL=http://127.0.0.1:18005
export NOTIFICATION_SMTP_PORT=11025 NOTIFICATION_DASHBOARD_URL=http://127.0.0.1:13000
export COMPLIANCE_ALLOWED_HOSTS=127.0.0.1,localhost TEMPLATE_GENERATOR_ENABLED=false

start_one() { # name, dir, command...
  local name=$1 dir=$2
  shift 2
  (cd "$ROOT/$dir" && exec "$@") >"$RUN/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

wait_http() {
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "timed out waiting for $1" >&2
  return 1
}

case "${1:-}" in
  start)
    "$ROOT/scripts/ensure-infra.sh"
    DATAPACT_DATABASES="fe_contracts fe_dictionary fe_notifications fe_template_data" "$ROOT/scripts/init-db.sh" >/dev/null
    for pair in contract-service:CONTRACT dictionary-service:DICTIONARY notification-service:NOTIFICATION template-data-service:TEMPLATE; do
      svc=${pair%%:*} var=${pair##*:}_DATABASE_URL
      (cd "$ROOT/services/$svc" && DATABASE_URL=${!var} "$VENV/alembic" upgrade head >/dev/null)
    done
    start_one mail-sink . "$VENV/python" -m datapact_testing.mailsink --smtp-port 11025 --http-port 18025
    start_one contract-api . "$VENV/uvicorn" contract_service.main:app --host 127.0.0.1 --port 18001
    start_one contract-worker . "$VENV/celery" -A contract_service.worker.celery_app worker -B -s "$RUN/contract-beat" -Q contracts --concurrency=1 -n fe-contract@%h
    start_one dictionary-api . "$VENV/uvicorn" dictionary_service.main:app --host 127.0.0.1 --port 18002
    start_one template-api . "$VENV/uvicorn" data_service.main:app --host 127.0.0.1 --port 18003
    start_one notification-api . "$VENV/uvicorn" notification_service.main:app --host 127.0.0.1 --port 18004
    start_one notification-worker . "$VENV/celery" -A notification_service.celery_app.celery_app worker -Q notifications --concurrency=1 -n fe-notification@%h
    start_one monitor-api . "$VENV/uvicorn" compliance_monitor.main:app --host 127.0.0.1 --port 18005
    for port in 18001 18002 18004 18005; do wait_http "http://127.0.0.1:$port/health"; done
    (cd "$ROOT" && DATABASE_URL=$TEMPLATE_DATABASE_URL "$VENV/python" -m data_service.seed >/dev/null 2>&1 || true)
    "$VENV/python" "$ROOT/scripts/seed-example-data.py" --url http://127.0.0.1:18001 --notification-url http://127.0.0.1:18004
    echo "stack up; logs in $RUN"
    ;;
  stop)
    for pidfile in "$RUN"/*.pid; do
      [ -f "$pidfile" ] || continue
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      rm -f "$pidfile"
    done
    ;;
  env)
    echo "CONTRACT_SERVICE_URL=$CONTRACT_SERVICE_URL DICTIONARY_SERVICE_URL=$DICTIONARY_SERVICE_URL NOTIFICATION_SERVICE_URL=$NOTIFICATION_SERVICE_URL MONITOR_SERVICE_URL=$MONITOR_SERVICE_URL"
    ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
