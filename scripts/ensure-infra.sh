#!/usr/bin/env bash
# Makes sure the local PostgreSQL and Redis answer, starting them when they are installed
# but stopped; says plainly what is missing otherwise.
set -uo pipefail
PGHOST_=${PGHOST:-127.0.0.1}
PGPORT_=${PGPORT:-5432}

if ! pg_isready -h "$PGHOST_" -p "$PGPORT_" -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h "$PGHOST_" -p "$PGPORT_" -q && break; sleep 1; done
  fi
fi
if ! pg_isready -h "$PGHOST_" -p "$PGPORT_" -q 2>/dev/null; then
  echo "PostgreSQL is not reachable at $PGHOST_:$PGPORT_. Install PostgreSQL 15 (or run" >&2
  echo "'docker compose up -d postgres') and try again." >&2
  exit 1
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 1 20); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Redis is not reachable at 127.0.0.1:6379. Install Redis 7 (or run" >&2
  echo "'docker compose up -d redis') and try again." >&2
  exit 1
fi
echo "PostgreSQL and Redis are up"
