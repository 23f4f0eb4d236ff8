#!/usr/bin/env bash
# Creates every service database that does not exist yet (idempotent).
# Natively it talks to $PGHOST (default 127.0.0.1) as $PGUSER (default postgres); inside the
# postgres container (docker-entrypoint-initdb.d) it uses the local socket as $POSTGRES_USER.
set -euo pipefail
DATABASES=${DATAPACT_DATABASES:-"contracts dictionary notifications template_data"}

if [ -n "${POSTGRES_USER:-}" ] && [ -z "${PGHOST:-}" ]; then
  psql_args=(--username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-postgres}")
else
  psql_args=(-h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" --username "${PGUSER:-postgres}" --dbname postgres)
fi

for db in $DATABASES; do
  exists=$(psql "${psql_args[@]}" -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")
  if [ "$exists" = "1" ]; then
    echo "database $db exists"
  else
    psql "${psql_args[@]}" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$db\""
    echo "database $db created"
  fi
done
