"""Findings: no rate limiting anywhere; `/docs` and `/openapi.json` with no production switch.

A real contract-api with the limits on (they are off in tests unless asked for): the routes
that parse a document for anyone answer 429 with Retry-After past the budget, per caller;
with ENVIRONMENT=production the API documentation is not served.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import redis

from datapact_testing.processes import uvicorn_process
from datapact_testing.redis_urls import suite_redis_url

SERVICE_DIR = Path(__file__).resolve().parents[2]
APP = "contract_service.main:app"
DOCS = ("/docs", "/redoc", "/openapi.json")
PRODUCTION_SECRET = "a-production-secret-that-is-long-enough-" * 2


def test_open_document_routes_are_rate_limited_per_caller(
    clean_db: str, process_env: Callable[..., dict[str, str]], commerce: dict[str, str]
) -> None:
    redis.Redis.from_url(suite_redis_url(10)).flushdb()
    env = process_env(DATAPACT_RATE_LIMITS="true", DATAPACT_RATE_LIMIT_DOCUMENTS="2/minute")
    api = uvicorn_process("contract-api-limited", APP, env=env, cwd=SERVICE_DIR)
    yaml = {"content-type": "application/yaml"}
    with api, httpx.Client(base_url=api.base_url, timeout=30) as client:

        def validate(headers: dict[str, str]) -> httpx.Response:
            return client.post("/api/v1/contracts/validate", content="name: x\n", headers=headers)

        statuses = [validate(yaml).status_code for _ in range(2)]
        refused = validate(yaml)
        with_token = validate({**yaml, **commerce})
        health = client.get("/health")
    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "too many requests" in refused.json()["detail"]
    assert with_token.status_code == 200  # a token's subject has its own budget
    assert health.status_code == 200  # /health is never limited


def test_production_serves_no_api_documentation(
    clean_db: str, process_env: Callable[..., dict[str, str]]
) -> None:
    env = process_env(ENVIRONMENT="production", DATAPACT_SECRET_KEY=PRODUCTION_SECRET)
    api = uvicorn_process("contract-api-production", APP, env=env, cwd=SERVICE_DIR)
    with api, httpx.Client(base_url=api.base_url, timeout=30) as client:
        pages = {path: client.get(path).status_code for path in DOCS}
        contracts = client.get("/api/v1/contracts")
    assert pages == dict.fromkeys(DOCS, 404)
    assert contracts.status_code == 200
    env["DATAPACT_API_DOCS"] = "true"
    with uvicorn_process("contract-api-docs", APP, env=env, cwd=SERVICE_DIR) as api:
        assert httpx.get(f"{api.base_url}/openapi.json", timeout=30).status_code == 200
