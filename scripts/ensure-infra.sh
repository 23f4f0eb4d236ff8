#!/usr/bin/env bash
# Makes sure the local PostgreSQL, Redis and MariaDB answer, starting them when they are installed
# but stopped; says plainly what is missing otherwise.
# PGHOST/PGPORT and REDIS_HOST/REDIS_PORT name them (default 127.0.0.1:5432 and :6379); only
# servers on those defaults are started here.
#   scripts/ensure-infra.sh           the platform's servers (`make up`, `make e2e`)
#   scripts/ensure-infra.sh --tests   the test suites' servers (`make test`): the ones
#                                     DATAPACT_TEST_ADMIN_DSN and DATAPACT_TEST_REDIS name
set -uo pipefail
PGHOST_=${PGHOST:-127.0.0.1}
PGPORT_=${PGPORT:-5432}
REDIS_HOST_=${REDIS_HOST:-127.0.0.1}
REDIS_PORT_=${REDIS_PORT:-6379}

host_port() { # scheme://[user[:password]@]host[:port][/...] -> "host port" (port: $2 if absent)
  local rest=${1#*://}
  rest=${rest%%/*}
  rest=${rest##*@}
  case $rest in
    *:*) echo "${rest%:*} ${rest##*:}" ;;
    *) echo "${rest:-127.0.0.1} $2" ;;
  esac
}
MODE=platform
case ${1:-} in
  --tests)
    MODE=tests
    if [ -n "${DATAPACT_TEST_ADMIN_DSN:-}" ]; then
      read -r PGHOST_ PGPORT_ <<<"$(host_port "$DATAPACT_TEST_ADMIN_DSN" 5432)"
    fi
    if [ -n "${DATAPACT_TEST_REDIS:-}" ]; then
      read -r REDIS_HOST_ REDIS_PORT_ <<<"$(host_port "$DATAPACT_TEST_REDIS" 6379)"
    fi
    [ "$REDIS_HOST_" = localhost ] && REDIS_HOST_=127.0.0.1
    [ "$PGHOST_" = localhost ] && PGHOST_=127.0.0.1
    ;;
  "") ;;
  *) echo "usage: $0 [--tests]" >&2; exit 2 ;;
esac

pg_up() { pg_isready -h "$PGHOST_" -p "$PGPORT_" -q 2>/dev/null; }
redis_up() { [ "$(redis-cli -h "$REDIS_HOST_" -p "$REDIS_PORT_" ping 2>/dev/null)" = "PONG" ]; }

if ! command -v pg_isready >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
  echo "PostgreSQL's client tools (psql, pg_isready) are not installed. Install PostgreSQL 15" >&2
  echo "(Debian/Ubuntu: apt-get install postgresql) and try again." >&2
  exit 1
fi
if ! pg_up && [ "$PGHOST_:$PGPORT_" = "127.0.0.1:5432" ]; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
fi
if ! pg_up; then
  echo "PostgreSQL is not reachable at $PGHOST_:$PGPORT_. Start it (or install PostgreSQL 15," >&2
  echo "or run 'docker compose up -d postgres') and try again." >&2
  exit 1
fi

if ! command -v redis-cli >/dev/null 2>&1; then
  echo "redis-cli is not installed. Install Redis 7 (Debian/Ubuntu: apt-get install redis-server)" >&2
  echo "and try again." >&2
  exit 1
fi
# the default server, or (--tests) the loopback one DATAPACT_TEST_REDIS names: nothing kept
if ! redis_up && [ "$REDIS_HOST_" = 127.0.0.1 ] &&
  { [ "$REDIS_PORT_" = 6379 ] || [ "$MODE" = tests ]; }; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting Redis on 127.0.0.1:$REDIS_PORT_"
    dir=/var/lib/redis logfile=/var/log/redis/ci.log
    if ! mkdir -p "$dir" /var/log/redis 2>/dev/null || [ ! -w "$dir" ] || [ ! -w /var/log/redis ]; then
      dir=${TMPDIR:-/tmp} logfile=${TMPDIR:-/tmp}/redis-$REDIS_PORT_.log
    fi
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT_" --save "" --appendonly no \
      --dir "$dir" --logfile "$logfile" || true
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  fi
fi
if ! redis_up; then
  echo "Redis is not reachable at $REDIS_HOST_:$REDIS_PORT_. Start it (or install Redis 7," >&2
  echo "or run 'docker compose up -d redis') and try again." >&2
  exit 1
fi
# MariaDB: the data agent's tests run against it (Debian's mariadb-server, root without a
# password on 127.0.0.1:3306, as a fresh install sets it up).
mariadb_up() { mariadb-admin --host=127.0.0.1 --port=3306 --user=root ping >/dev/null 2>&1; }
if ! mariadb_up && [ -x /usr/sbin/mariadbd ]; then
  echo "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  for _ in $(seq 1 30); do mariadb_up && break; sleep 1; done
fi
if ! mariadb_up; then
  echo "MariaDB is not reachable at 127.0.0.1:3306. Install it (Debian/Ubuntu:" >&2
  echo "apt-get install mariadb-server) and try again." >&2
  exit 1
fi
echo "PostgreSQL ($PGHOST_:$PGPORT_), Redis ($REDIS_HOST_:$REDIS_PORT_) and MariaDB (127.0.0.1:3306) are up"
