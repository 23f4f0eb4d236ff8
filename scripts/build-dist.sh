#!/usr/bin/env bash
# The publishable Python packages, datapact-common and datapact-cli, built into dist/ (`make
# dist`, the release workflow):
#   scripts/build-dist.sh VERSION        e.g. 1.4.0 (a tag v1.4.0 without its v)
#   DIST_DIR=/elsewhere scripts/build-dist.sh VERSION
# Each package is copied to a scratch folder and given VERSION; the CLI's path dependency on
# datapact-common (what the monorepo installs) becomes `==VERSION`, since an index refuses
# path dependencies. Then `poetry build` (scripts/poetry: not necessarily on PATH) writes an sdist and a wheel of each.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-}
if ! [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+((a|b|rc|\.dev|\.post)[0-9]+)?$ ]]; then
  echo "usage: $0 VERSION (a release version such as 1.4.0 or 1.4.0rc1), got '$VERSION'" >&2
  exit 2
fi
OUT=$(mkdir -p "${DIST_DIR:-dist}" && cd "${DIST_DIR:-dist}" && pwd)
POETRY=${POETRY:-$PWD/scripts/poetry} # found or installed where the other scripts find it
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/datapact-dist.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
for package in shared/datapact_common cli; do
  copy=$SCRATCH/$(basename "$package")
  cp -r "$package" "$copy"
  rm -rf "$copy/tests" "$copy/poetry.lock"
  find "$copy" -name __pycache__ -type d -prune -exec rm -rf {} +
  python3 - "$copy/pyproject.toml" "$VERSION" <<'PY'
import re
import sys

path, version = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text, versions = re.subn(r'(?m)^version = "[^"]*"$', f'version = "{version}"', text, count=1)
text = re.sub(r"(?m)^datapact-common = \{ path = [^}]*\}$", f'datapact-common = "=={version}"', text)
if versions != 1 or "path =" in text:
    sys.exit(f"{path}: version or path dependency not rewritten")
open(path, "w", encoding="utf-8").write(text)
PY
  (cd "$copy" && "$POETRY" build --no-interaction --quiet --output "$OUT")
done
ls -1 "$OUT"
