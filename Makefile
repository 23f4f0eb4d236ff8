# DataPact — the README's commands. Everything runs from the repo root in one Poetry env,
# which every target that needs it installs first when a lock file changed (scripts/install.sh).
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv/bin
PY_PACKAGES := shared/datapact_common shared/datapact_testing cli \
	services/contract-service services/notification-service services/dictionary-service \
	services/template-data-service services/compliance-monitor services/data-agent
# make test's start order: the longest suites first, so the parallel run ends sooner
TEST_SUITES := services/contract-service services/notification-service \
	services/compliance-monitor services/dictionary-service services/data-agent cli \
	shared/datapact_common services/template-data-service frontend shared/datapact_testing tests

.PHONY: help env infra install lint format test test-python test-frontend e2e bench up down reset migrate compose-check hadolint dist images push-images

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

env: # the environments, installed only when a lock file changed
	@scripts/install.sh

infra: # the test suites' PostgreSQL and Redis answer (started when installed but stopped)
	@scripts/ensure-infra.sh --tests

install: ## (re)install the Poetry environment and the frontend's npm packages
	@scripts/install.sh --force

lint: env ## ruff, mypy (strict), import-linter, .env.example/docs check, workflows, ESLint, commit subjects
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy $(addsuffix /src,$(PY_PACKAGES))
	$(VENV)/mypy scripts/*.py
	@# the import graph: layers, no cycles (pyproject.toml [tool.importlinter])
	PYTHONPATH=scripts $(VENV)/lint-imports --no-cache
	@# benchmarks each have a bench.py: one mypy run per folder, its own modules and the ceiling on the path
	@for dir in benchmarks/*/; do \
		MYPYPATH=$$dir:benchmarks/ceiling $(VENV)/mypy --no-error-summary $$dir*.py || exit 1; done
	$(VENV)/python scripts/check-env-example.py
	@# GitHub workflows and the action (actionlint reads action.yml through ci.yml's `uses: ./`)
	$(VENV)/actionlint
	$(VENV)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/check-jsonschema --builtin-schema vendor.github-actions action.yml
	cd frontend && npm run lint
	@scripts/check-commits.sh

format: env ## apply ruff's fixes and formatting
	$(VENV)/ruff check --fix .
	$(VENV)/ruff format .

test: env infra ## every package's tests (real PostgreSQL and Redis) + the frontend's, in parallel
	@scripts/test.sh $(TEST_SUITES)

test-python: env infra ## only the Python packages' tests
	@scripts/test.sh $(PY_PACKAGES) tests

test-frontend: env ## only the frontend's unit tests
	@scripts/test.sh frontend

e2e: env ## the whole-system scenario and browser tests
	@scripts/e2e.sh

bench: env ## the benchmarks, one JSON line each
	@scripts/bench.sh

up: ## run the whole platform natively (first-time set-up included)
	@scripts/up.sh

down: ## stop a platform started with `make up` in the background
	@scripts/down.sh

reset: ## stop, drop the platform's databases, flush its Redis DBs 0-3 (next `make up` starts clean)
	@scripts/down.sh --reset

migrate: env ## create and migrate every service database
	@scripts/init-db.sh && scripts/run-migrations.sh

dist: env ## build datapact-common and datapact-cli into dist/ (VERSION=x.y.z; release workflow)
	@scripts/build-dist.sh $(VERSION)

images: ## build the service images (VERSION, IMAGE_PREFIX; release workflow)
	@scripts/images.sh build

push-images: ## push the images `make images` tagged
	@scripts/images.sh push

compose-check: ## validate the compose files
	docker-compose -f docker-compose.yml config -q
	docker-compose -f docker-compose.yml -f docker-compose.dev.yml config -q

hadolint: env ## lint every Dockerfile
	$(VENV)/hadolint $$(git ls-files '*Dockerfile*')
