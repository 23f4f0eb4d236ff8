#!/usr/bin/env bash
# Runs `alembic upgrade head` for every service that owns a database.
# Each service reads its own URL (CONTRACT_DATABASE_URL, ... or DATABASE_URL; see docs/conventions.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ALEMBIC=${ALEMBIC:-$PWD/.venv/bin/alembic}
status=0
for svc in contract-service notification-service dictionary-service template-data-service; do
  dir="services/$svc"
  if [ -f "$dir/alembic.ini" ]; then
    echo "== migrating $svc"
    (cd "$dir" && "$ALEMBIC" upgrade head) || status=1
  fi
done
exit $status
