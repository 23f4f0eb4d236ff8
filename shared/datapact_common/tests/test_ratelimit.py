"""Per-caller rate limits (datapact_common.ratelimit) in a small real FastAPI app: memory
storage, and the real Redis of the test suite for the shared counters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import redis
from fastapi import Depends, FastAPI

from datapact_common.ratelimit import RateLimiter, RateLimitGroup, storage_uri
from datapact_common.settings import ServiceSettings, parse_rate_limit
from datapact_common.tokens import Scope, Service, create_token, service_token
from datapact_common.web import Auth, install_error_handlers
from datapact_testing.processes import free_port
from datapact_testing.redis_urls import suite_redis_url

SECRET = "ratelimit-test-secret-" * 3
REDIS_URL = suite_redis_url(3)  # a database of the test server no suite uses for Celery


def build_app(settings: ServiceSettings, redis_url: str | None = None) -> FastAPI:
    auth = Auth(lambda: SECRET, Service.CONTRACTS)
    limiter = RateLimiter(lambda: settings, auth, lambda: redis_url)
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/validate", dependencies=[Depends(limiter.limit(RateLimitGroup.DOCUMENTS))])
    async def validate() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/search", dependencies=[Depends(limiter.limit(RateLimitGroup.SEARCHES))])
    async def search() -> dict[str, str]:
        return {"ok": "yes"}

    return app


def settings(**values: Any) -> ServiceSettings:
    base: dict[str, Any] = {
        "environment": "development",
        "datapact_rate_limit_documents": "3/minute",
        "datapact_rate_limit_searches": "5/minute",
    }
    return ServiceSettings(**{**base, **values})


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(settings()))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_a_caller_over_its_budget_gets_429_with_retry_after(
    client: httpx.AsyncClient,
) -> None:
    statuses = [(await client.post("/validate")).status_code for _ in range(3)]
    refused = await client.post("/validate")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    body = refused.json()
    assert body["detail"].startswith("too many requests: at most 3 per 1 minute per caller")
    assert body["retry_after"] == int(refused.headers["retry-after"])


async def test_groups_have_their_own_budgets(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.post("/validate")
    assert (await client.post("/validate")).status_code == 429
    assert (await client.get("/search")).status_code == 200


async def test_each_token_subject_has_its_own_budget_and_service_tokens_none(
    client: httpx.AsyncClient,
) -> None:
    alice = bearer(create_token(SECRET, "alice", teams=["a"], scopes=[Scope.CONTRACTS_WRITE]))
    bob = bearer(create_token(SECRET, "bob", teams=["b"], scopes=[Scope.CONTRACTS_WRITE]))
    for _ in range(3):
        assert (await client.post("/validate", headers=alice)).status_code == 200
    assert (await client.post("/validate", headers=alice)).status_code == 429
    assert (await client.post("/validate", headers=bob)).status_code == 200
    assert (await client.post("/validate")).status_code == 200  # the address's own budget
    service = bearer(service_token(SECRET, Service.DICTIONARY, Service.CONTRACTS))
    assert {(await client.post("/validate", headers=service)).status_code for _ in range(10)} == {
        200
    }


async def test_an_invalid_token_is_a_401_not_a_way_around_the_budget(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/validate", headers=bearer("not-a-token"))
    assert response.status_code == 401


async def test_limits_can_be_switched_off_and_are_off_in_tests() -> None:
    for value in (settings(datapact_rate_limits=False), settings(environment="test")):
        transport = httpx.ASGITransport(app=build_app(value))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            assert {(await http.post("/validate")).status_code for _ in range(6)} == {200}
    assert settings().rate_limits_enabled
    assert settings(environment="test", datapact_rate_limits=True).rate_limits_enabled


async def test_counters_in_redis_are_shared_by_every_app_instance() -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()
    apps = [build_app(settings(), REDIS_URL) for _ in range(2)]
    statuses = []
    for index in range(4):
        transport = httpx.ASGITransport(app=apps[index % 2])
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            statuses.append((await http.post("/validate")).status_code)
    assert statuses == [200, 200, 200, 429]
    assert redis.Redis.from_url(REDIS_URL).keys("*")  # the counters are in Redis
    redis.Redis.from_url(REDIS_URL).flushdb()


async def test_an_unreachable_redis_lets_requests_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = build_app(settings(), f"redis://127.0.0.1:{free_port()}/0")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert {(await http.post("/validate")).status_code for _ in range(5)} == {200}
    assert "rate limits not enforced" in caplog.text


@pytest.mark.parametrize("text", ["", "lots", "5 per fortnight", "-1/minute"])
def test_a_rate_limit_that_does_not_parse_is_refused_at_start_up(text: str) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        settings(datapact_rate_limit_documents=text)


def test_rate_limit_strings_and_storage_uris() -> None:
    assert [str(i) for i in parse_rate_limit("10/second;600/hour")] == [
        "10 per 1 second",
        "600 per 1 hour",
    ]
    assert storage_uri(None) == "memory://"
    assert storage_uri("redis://h:6379/2") == "async+redis://h:6379/2"
    assert storage_uri("rediss://u:p@h/0") == "async+rediss://u:p@h/0"
