#!/usr/bin/env bash
# The environments every make target runs in, (re-)installed only when a lock file changed:
#   .venv/          `poetry install` (Poetry found or installed by scripts/poetry) when
#                   poetry.lock or a pyproject.toml changed, or the venv is missing/broken;
#   frontend/node_modules   `npm ci` when frontend/package-lock.json changed.
# What was installed last is stamped in .run/{poetry,npm}.stamp (delete them to force it;
# `scripts/install.sh --force` does).
#   scripts/install.sh [--force] [--quiet] [--python-only]
# `make up`, `make test`, `make lint`, `make e2e` and `make install` all start with it.
set -euo pipefail
cd "$(dirname "$0")/.."
FORCE=0 QUIET=0 FRONTEND=1
for arg in "$@"; do
  case $arg in
    --force) FORCE=1 ;;
    --quiet | -q) QUIET=1 ;;
    --python-only) FRONTEND=0 ;;
    *) echo "usage: $0 [--force] [--quiet] [--python-only]" >&2; exit 2 ;;
  esac
done
say() { [ "$QUIET" = 1 ] || printf '\033[1m%s\033[0m\n' "$*"; }
fail() { printf '\033[1;31m%s\033[0m\n' "$*" >&2; exit 1; }
mkdir -p .run
# One installer per checkout at a time (`make test` in two terminals); not inherited below.
exec 6>>.run/install.lock
flock 6

stamp() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# Python ----------------------------------------------------------------------------------
py_stamp=$(stamp poetry.lock pyproject.toml shared/*/pyproject.toml cli/pyproject.toml \
  services/*/pyproject.toml)
venv_ok() { [ -x .venv/bin/python ] && .venv/bin/python -c 'import datapact_common' 2>/dev/null; }
if [ "$FORCE" = 1 ] || ! venv_ok || [ "$(cat .run/poetry.stamp 2>/dev/null)" != "$py_stamp" ]; then
  if [ -d .venv ] && ! .venv/bin/python -c '' 2>/dev/null; then
    say "the .venv's interpreter is gone; making a new .venv"
    rm -rf .venv
  fi
  # Poetry first, where its own install (once per machine) can be seen
  scripts/poetry --where >/dev/null 6>&- || fail "no Poetry, and installing it failed (see above)"
  say "installing the Python environment (poetry install into .venv; log in .run/poetry-install.log)"
  # its output in a log (--quiet would hide the errors too), the end of it shown on failure
  if ! scripts/poetry install --no-interaction >.run/poetry-install.log 2>&1 6>&-; then
    tail -n 40 .run/poetry-install.log >&2
    fail "poetry install failed (above: the end of .run/poetry-install.log)"
  fi
  venv_ok || fail "poetry install left no usable .venv (.venv/bin/python cannot import datapact_common)"
  echo "$py_stamp" >.run/poetry.stamp
fi

# Frontend --------------------------------------------------------------------------------
if [ "$FRONTEND" = 1 ] && [ -f frontend/package-lock.json ]; then
  command -v npm >/dev/null 2>&1 || fail "npm not found: install Node.js 20 (the dashboard needs it)."
  npm_stamp=$(stamp frontend/package-lock.json frontend/package.json)
  if [ "$FORCE" = 1 ] || [ ! -d frontend/node_modules ] ||
    [ "$(cat .run/npm.stamp 2>/dev/null)" != "$npm_stamp" ]; then
    # node_modules already matching the lock file (npm ls is clean) is kept: `npm ci` would
    # delete it first, under anyone using it right now (a running dev server).
    if [ "$FORCE" = 0 ] && [ -d frontend/node_modules ] &&
      (cd frontend && npm ls --depth=0 >/dev/null 2>&1); then
      :
    else
      say "installing the dashboard's npm packages (npm ci in frontend/)"
      (cd frontend && npm ci --no-audit --no-fund --loglevel=error) 6>&- ||
        fail "npm ci failed (see above)"
    fi
    echo "$npm_stamp" >.run/npm.stamp
  fi
fi
exit 0
