#!/usr/bin/env bash
# The service images (the recipe docker-compose.yml builds them with), tagged for a registry:
#   scripts/images.sh build     `make images`       docker build, one image per service
#   scripts/images.sh push      `make push-images`  docker push what `build` tagged
# VERSION (default: dev) and IMAGE_PREFIX (default: datapact/) make the names:
# ${IMAGE_PREFIX}contract-service:${VERSION}, ... ; `latest` is tagged too for a release
# version (digits and dots only).
# --dry-run (or DRY_RUN=1, e.g. `make images DRY_RUN=1`) prints the docker commands, one a line,
# instead of running them (tests/test_ci_workflows.py; no Docker engine needed).
set -euo pipefail
cd "$(dirname "$0")/.."
DRY=${DRY_RUN:-}
[ "${2:-}" = --dry-run ] && DRY=1
[ "$DRY" = 0 ] && DRY=
docker() {
  if [ -n "$DRY" ]; then
    printf 'docker'
    printf ' %q' "$@"
    printf '\n'
  else
    command docker "$@"
  fi
}
VERSION=${VERSION:-dev}
PREFIX=${IMAGE_PREFIX:-datapact/}
# service folder = the module uvicorn serves (the workers use the same image, another command);
# the data agent has a recipe of its own (docker/agent.Dockerfile: `datapact-agent serve`).
# template-data-service's image migrates and seeds the example database (compose's
# template-migrate); the data agent serves it.
SERVICES=(
  "contract-service=contract_service.main:app"
  "notification-service=notification_service.main:app"
  "dictionary-service=dictionary_service.main:app"
  "template-data-service=data_service.main:app"
  "compliance-monitor=compliance_monitor.main:app"
  "data-agent="
)
tags() {
  echo "$PREFIX$1:$VERSION"
  if [[ $VERSION =~ ^[0-9]+(\.[0-9]+)*$ ]]; then echo "$PREFIX$1:latest"; fi
}
case ${1:-} in
  build)
    for entry in "${SERVICES[@]}"; do
      service=${entry%%=*}
      args=()
      while read -r tag; do args+=(-t "$tag"); done < <(tags "$service")
      if [ "$service" = data-agent ]; then
        docker build -f docker/agent.Dockerfile "${args[@]}" .
      else
        docker build -f docker/service.Dockerfile --build-arg SERVICE="$service" \
          --build-arg APP_MODULE="${entry#*=}" "${args[@]}" .
      fi
    done
    ;;
  push)
    for entry in "${SERVICES[@]}"; do
      while read -r tag; do docker push "$tag"; done < <(tags "${entry%%=*}")
    done
    ;;
  *)
    echo "usage: $0 build|push [--dry-run]   (VERSION, IMAGE_PREFIX, DRY_RUN)" >&2
    exit 2
    ;;
esac
