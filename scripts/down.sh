#!/usr/bin/env bash
# `make down`: stops a platform started with `make up` (foreground or --detach) and every
# process it started, even when honcho itself is gone (killed, crashed).
#   scripts/down.sh            stop
#   scripts/down.sh --reset    stop, drop the platform's databases, flush its Redis DBs 0-3
#                              (`make reset`: the next `make up` starts from nothing)
# Only processes honcho reported starting (.run/honcho.log), still in their own process group
# and still running in this repository, are signalled: nothing is matched by name.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUIET=0 RESET=0
for arg in "$@"; do
  case $arg in
    --quiet | -q) QUIET=1 ;;
    --reset) RESET=1 ;;
    *) echo "usage: $0 [--quiet] [--reset]" >&2; exit 2 ;;
  esac
done
say() { [ "$QUIET" = 1 ] || echo "$*"; }

# process groups honcho started (one per Procfile entry) with a member still alive and
# running in this repository (a group's id is not reused while any member lives)
our_groups() {
  [ -f .run/honcho.log ] || return 0
  grep -oE 'started \(pid=[0-9]+\)' .run/honcho.log | grep -oE '[0-9]+' | sort -un | while read -r pgid; do
    for member in $(pgrep -g "$pgid" 2>/dev/null); do
      case "$(readlink "/proc/$member/cwd" 2>/dev/null)" in
        "$ROOT" | "$ROOT"/*) echo "$pgid"; break ;;
      esac
    done
  done
}
alive_in_group() { pgrep -g "$1" >/dev/null 2>&1; }
alive() { # a live process, not a zombie waiting to be reaped
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

stopped=0
if [ -f .run/honcho.pid ]; then
  pid=$(cat .run/honcho.pid)
  rm -f .run/honcho.pid # first: a foreground `make up` waiting on honcho sees who stopped it
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    # honcho sends SIGTERM to every process group and SIGKILL after 5 s
    for _ in $(seq 1 60); do alive "$pid" || break; sleep 0.25; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
    say "stopped DataPact (honcho $pid)"
    stopped=1
  fi
fi

# what honcho did not take down with it (honcho killed with -9, a crash, a slow exit, ...)
[ "$stopped" = 1 ] && for _ in $(seq 1 20); do [ -z "$(our_groups)" ] && break; sleep 0.25; done
groups=$(our_groups)
if [ -n "$groups" ]; then
  for g in $groups; do kill -TERM -- "-$g" 2>/dev/null; done
  for _ in $(seq 1 40); do
    left=""
    for g in $groups; do alive_in_group "$g" && left+=" $g"; done
    [ -z "$left" ] && break
    sleep 0.25
  done
  for g in $left; do kill -KILL -- "-$g" 2>/dev/null; done
  say "stopped leftover process groups:$(echo " $groups" | tr '\n' ' ')"
  stopped=1
fi
[ "$stopped" = 1 ] || say "DataPact is not running"

if [ "$RESET" = 1 ]; then
  PGHOST_=${PGHOST:-127.0.0.1} PGPORT_=${PGPORT:-5432} PGUSER_=${PGUSER:-postgres}
  REDIS_HOST_=${REDIS_HOST:-127.0.0.1} REDIS_PORT_=${REDIS_PORT:-6379}
  status=0
  for db in ${DATAPACT_DATABASES:-contracts dictionary notifications template_data}; do
    if psql -h "$PGHOST_" -p "$PGPORT_" -U "$PGUSER_" -d postgres -v ON_ERROR_STOP=1 -qc \
      "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" 2>/dev/null; then
      say "dropped database $db"
    else
      echo "could not drop database $db (is PostgreSQL up at $PGHOST_:$PGPORT_?)" >&2
      status=1
    fi
  done
  for n in 0 1 2 3; do
    if redis-cli -h "$REDIS_HOST_" -p "$REDIS_PORT_" -n "$n" flushdb >/dev/null 2>&1; then
      say "flushed Redis DB $n"
    else
      echo "could not flush Redis DB $n (is Redis up at $REDIS_HOST_:$REDIS_PORT_?)" >&2
      status=1
    fi
  done
  rm -f .run/contract-beat-schedule* .run/monitor-beat-schedule* .run/honcho.log .run/migrations.log
  [ "$status" = 0 ] && say "reset done: the next 'make up' starts from empty databases"
  exit "$status"
fi
exit 0
