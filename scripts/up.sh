#!/usr/bin/env bash
# `make up`: the whole platform natively, first-time set-up included, idempotent.
# Ctrl-C stops every process. `make down` stops a platform started elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
mkdir -p .run

say() { printf '\033[1m%s\033[0m\n' "$*"; }

# 1. tools and infrastructure -------------------------------------------------------
if ! command -v poetry >/dev/null 2>&1; then
  say "installing Poetry (pip install --user poetry)"
  python3 -m pip install --quiet --user poetry
  export PATH="$HOME/.local/bin:$PATH"
fi
scripts/ensure-infra.sh

# 2. environments (re-installed only when a lock file changed) ----------------------
stamp() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
py_stamp=$(stamp poetry.lock pyproject.toml)
if [ ! -x .venv/bin/python ] || [ "$(cat .run/poetry.stamp 2>/dev/null)" != "$py_stamp" ]; then
  say "installing the Python environment (poetry install)"
  poetry install --no-interaction --quiet
  echo "$py_stamp" > .run/poetry.stamp
fi
if [ -f frontend/package-lock.json ]; then
  npm_stamp=$(stamp frontend/package-lock.json)
  if [ ! -d frontend/node_modules ] || [ "$(cat .run/npm.stamp 2>/dev/null)" != "$npm_stamp" ]; then
    say "installing the dashboard's npm packages"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
    echo "$npm_stamp" > .run/npm.stamp
  fi
fi
[ -f .env ] || { cp .env.example .env; say "created .env from .env.example"; }

# 3. databases -----------------------------------------------------------------------
say "databases and migrations"
scripts/init-db.sh
scripts/run-migrations.sh
if [ -f services/template-data-service/alembic.ini ]; then
  .venv/bin/python -m data_service.seed || say "(template data seed skipped)"
fi

# 4. processes ---------------------------------------------------------------------
processes=$(grep -oE '^[a-z-]+' Procfile | tr '\n' ' ')
if [ ! -f frontend/package.json ]; then processes=${processes/frontend /}; fi
say "starting: $processes"
.venv/bin/honcho start -f Procfile -e .env $processes &
honcho_pid=$!
echo "$honcho_pid" > .run/honcho.pid
stop() {
  trap - INT TERM
  say "stopping DataPact"
  kill -TERM "$honcho_pid" 2>/dev/null || true
  wait "$honcho_pid" 2>/dev/null || true
  rm -f .run/honcho.pid
  exit 0
}
trap stop INT TERM

wait_for() { # url, seconds
  for _ in $(seq 1 "$2"); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$honcho_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}
if wait_for http://127.0.0.1:8001/health 90; then
  if [ -f scripts/seed-example-data.py ]; then
    say "loading the example organisation"
    .venv/bin/python scripts/seed-example-data.py --url http://127.0.0.1:8001 || say "(seeding failed; see above)"
  fi
  token=$(.venv/bin/datapact token create --sub dev-admin --scope admin --ttl-days 30 2>/dev/null || true)
  cat <<MSG

$(say "DataPact is running")
  Dashboard            http://localhost:3000
  Contract service     http://localhost:8001/docs
  Dictionary service   http://localhost:8002/docs
  Template data        http://localhost:8003/docs
  Notifications        http://localhost:8004/docs
  Compliance monitor   http://localhost:8005/docs
  Mail sink            http://localhost:8025/api/v2/messages  (SMTP on 1025)

  Development admin token (also: .venv/bin/datapact token create --sub you --scope admin):
  ${token:-<run make install first>}

  Ctrl-C stops everything.
MSG
else
  say "the contract service did not come up; see the log above"
fi
wait "$honcho_pid"
