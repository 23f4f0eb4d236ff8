#!/usr/bin/env bash
# The dashboard's browser tests (frontend/e2e, `npm run e2e`) against a stack of their own:
#   1. frontend/scripts/local-stack.sh reset + start: the services on 18001-18005 with fresh
#      fe_* databases and Redis DBs 5-7, the example organisation seeded;
#   2. the dashboard as built for production (vite build, into $FE_STACK_DIR/dist, skipped when
#      the sources did not change) served by `vite preview` with the proxy table pointing at
#      that stack, on 13000 or another free port;
#   3. `npm run e2e` with E2E_BASE_URL at it.
# Everything it started is stopped on the way out (also on Ctrl-C); the tests' exit code is
# its exit code. Refuses to run while the ports are taken (a dashboard stack someone runs).
#   scripts/e2e-frontend.sh            (scripts/e2e.sh calls it; `make e2e`)
#   scripts/e2e-frontend.sh e2e/proposals.test.mjs   only these files (paths from frontend/)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export FE_STACK_DIR=${FE_STACK_DIR:-/tmp/datapact-fe-e2e}
STACK=$ROOT/frontend/scripts/local-stack.sh
DIST=$FE_STACK_DIR/dist
SECRET=datapact-development-secret-do-not-use-in-production # the stack's (local-stack.sh)
started=$(date +%s)
log() { echo "e2e-frontend: $*" >&2; }
mkdir -p "$FE_STACK_DIR"
# One run at a time on this machine (they share the ports and the fe_* databases): a second
# run waits for the first. Nothing started below inherits the lock (8>&-).
exec 8>>"$FE_STACK_DIR.lock"
if ! flock -n 8; then
  log "another run is in progress; waiting for it (at most 15 min)"
  flock -w 900 8 || { log "gave up waiting"; exit 1; }
fi

[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ] || { log "no Chromium (/usr/bin/chromium or CHROMIUM_PATH)"; exit 1; }
[ -d frontend/node_modules ] || { log "frontend/node_modules is missing: run 'make install' (or 'make up') first"; exit 1; }

free_port() { # the preferred port when it is free, else any free one
  "$ROOT/.venv/bin/python" - "$1" <<'PY'
import socket, sys
def bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
        return s.getsockname()[1]
print(bindable(int(sys.argv[1])) or bindable(0))
PY
}

preview_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$preview_pid" ]; then
    kill -TERM -- "-$preview_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do pgrep -g "$preview_pid" >/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$preview_pid" 2>/dev/null || true
  fi
  "$STACK" stop || true
  log "done in $(($(date +%s) - started)) s (exit $status)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(free_port "${E2E_FRONTEND_PORT:-13000}")
base=http://127.0.0.1:$port
export FE_DASHBOARD_URL=$base # the links in the stack's e-mails

# 1. the services, from empty databases -------------------------------------------------
log "starting the services (fe_* databases reset; logs in $FE_STACK_DIR)"
"$STACK" reset >/dev/null 8>&-
"$STACK" start >&2 8>&-

# 2. the dashboard --------------------------------------------------------------------------
stamp=$(cd frontend && find src public index.html vite.config.ts proxy.config.ts package-lock.json \
  tsconfig*.json -type f -printf '%p %s %T@\n' 2>/dev/null | sort | sha256sum | cut -c1-16)
if [ "$(cat "$DIST/.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "building the dashboard (vite build -> $DIST)"
  (cd frontend && node_modules/.bin/vite build --outDir "$DIST" --emptyOutDir --logLevel warn) >&2
  echo "$stamp" >"$DIST/.stamp"
else
  log "dashboard build up to date ($DIST)"
fi
log "serving it on $base (vite preview)"
# shellcheck disable=SC2046 # the proxy variables of the stack, word-split on purpose
(cd frontend && exec env $("$STACK" env) setsid node_modules/.bin/vite preview --outDir "$DIST" \
  --host 127.0.0.1 --port "$port" --strictPort) >"$FE_STACK_DIR/preview.log" 2>&1 </dev/null 8>&- &
preview_pid=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$base/" 2>/dev/null && curl -fsS -o /dev/null "$base/api/v1/contracts?limit=1" && break
  kill -0 "$preview_pid" 2>/dev/null || { cat "$FE_STACK_DIR/preview.log" >&2; log "vite preview exited"; exit 1; }
  sleep 0.5
done

# 3. the browser tests -------------------------------------------------------------------------
set +e
if [ $# -gt 0 ]; then
  log "node --test $* (E2E_BASE_URL=$base)"
  (cd frontend && E2E_BASE_URL=$base DATAPACT_SECRET_KEY=$SECRET node --test --test-concurrency=1 "$@") 8>&-
else
  log "npm run e2e (E2E_BASE_URL=$base)"
  (cd frontend && E2E_BASE_URL=$base DATAPACT_SECRET_KEY=$SECRET npm run --silent e2e) 8>&-
fi
status=$?
set -e
exit "$status"
