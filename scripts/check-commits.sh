#!/usr/bin/env bash
# Commit subjects follow docs/conventions.md ("Commits"): `area: what changed`, at most 72
# characters. Checks every commit of a range; `make lint` (so CI too) checks those after
# the base commit named in .ci/commit-subjects-base, the commit that introduced the rule.
#   scripts/check-commits.sh              <base>..HEAD
#   scripts/check-commits.sh main..HEAD   only your commits, before landing them
# A landed commit cannot be reworded: should one break the rule, the fix is a commit that
# moves the base in .ci/commit-subjects-base past it.
set -uo pipefail
cd "$(dirname "$0")/.."
MAX=72
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "commit subjects: not a git checkout, nothing to check"
  exit 0
fi
if [ $# -gt 0 ]; then
  range=$1
else
  base=$(grep -oE '^[0-9a-f]{7,40}' .ci/commit-subjects-base | head -1)
  if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    # a shallow clone without that commit: the commits it has are all there is to check
    if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
      echo "commit subjects: shallow clone without the base $base; checking HEAD only"
      range=HEAD~0^!
    else
      echo "commit subjects: the base $base (.ci/commit-subjects-base) is not a commit here" >&2
      exit 1
    fi
  else
    range=$base..HEAD
  fi
fi

git rev-list "$range" >/dev/null 2>&1 || { echo "commit subjects: '$range' is not a range of commits here" >&2; exit 1; }
bad=0 checked=0
while IFS=$'\t' read -r sha subject; do
  [ -n "$sha" ] || continue
  checked=$((checked + 1))
  problem=""
  if [ "${#subject}" -gt "$MAX" ]; then
    problem="${#subject} characters, at most $MAX"
  elif ! [[ $subject =~ ^[^[:space:]:][^:]{0,48}:\ [^[:space:]] ]]; then
    problem="not 'area: what changed'"
  fi
  if [ -n "$problem" ]; then
    echo "  $sha  $subject" >&2
    echo "           ^ $problem" >&2
    bad=$((bad + 1))
  fi
done < <(git log --no-merges --format='%h%x09%s' "$range")
if [ "$bad" -gt 0 ]; then
  echo "commit subjects: $bad of $checked commits in $range break the rule (docs/conventions.md, \"Commits\")." >&2
  echo "Not landed yet: reword them (git rebase -i main). Already on main: a commit that writes the" >&2
  echo "last of them into .ci/commit-subjects-base lets the check pass again." >&2
  exit 1
fi
echo "commit subjects: $checked commits in $range follow the rule"
