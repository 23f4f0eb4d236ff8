#!/usr/bin/env bash
# Keeps the example database fresh while the platform runs (the Procfile's `example-data`):
# every EXAMPLE_DATA_INTERVAL_SECONDS (30) it runs services/template-data-service/sql/
# refresh.sql in one transaction, so the example contracts' freshness SLAs hold (all but
# the one planted to fail). A shell loop and psql, a few megabytes: the data agent serving
# the database only reads it.
#   scripts/refresh-example-data.sh          loop (Ctrl-C / SIGTERM stops it)
#   scripts/refresh-example-data.sh --once   one step
# The database: TEMPLATE_DATABASE_URL (its +asyncpg driver suffix dropped), else the local
# template_data.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${TEMPLATE_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/template_data}
url=${url/+asyncpg/}
url=${url/+psycopg/}
interval=${EXAMPLE_DATA_INTERVAL_SECONDS:-30}
step() {
  psql "$url" -X -q -1 -v ON_ERROR_STOP=1 -f services/template-data-service/sql/refresh.sql >/dev/null
}
if [ "${1:-}" = "--once" ]; then
  step
  exit
fi
trap 'kill "$!" 2>/dev/null; exit 0' INT TERM
echo "example-data: refreshing the example database every ${interval}s"
while :; do
  step || echo "example-data: a refresh step failed (is the database seeded? make up seeds it)" >&2
  sleep "$interval" &
  wait $!
done
