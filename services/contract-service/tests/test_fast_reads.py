"""The fast routes of the two hot GETs (contracts/fast_reads.py) answer exactly what FastAPI's
routes answer: every request here is sent twice, once to the app as it is and once with the
fast routes taken out, and the two answers must be the same status, headers and bytes."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from contract_service.config import get_settings
from contract_service.contracts.fast_reads import FastRead
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service, create_token
from datapact_testing.tokens import bearer, internal_service_token, publisher_token

Compare = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def fast_hits(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths the fast routes answered."""
    hits: list[str] = []
    handle = FastRead.handle

    async def counted(self: FastRead, scope: Any, receive: Any, send: Any) -> None:
        hits.append(scope["path"])
        await handle(self, scope, receive, send)

    monkeypatch.setattr(FastRead, "handle", counted)
    yield hits


@pytest.fixture
def compare(app: Any, client: httpx.AsyncClient, fast_hits: list[str]) -> Compare:
    """GET a path with and without the fast routes; assert the same answer; return it."""

    async def get(path: str, headers: dict[str, str] | None = None, *, fast: bool) -> Any:
        before = len(fast_hits)
        served = await client.get(path, headers=headers)
        assert len(fast_hits) - before == (1 if fast else 0), path
        routes = app.router.routes
        taken = [route for route in routes if isinstance(route, FastRead)]
        assert len(taken) == 2
        routes[:] = [route for route in routes if not isinstance(route, FastRead)]
        try:
            plain = await client.get(path, headers=headers)
        finally:
            routes[0:0] = taken
        assert len(fast_hits) == before + (1 if fast else 0)
        assert served.status_code == plain.status_code, (path, served.text, plain.text)
        assert served.headers.multi_items() == plain.headers.multi_items(), path
        assert served.content == plain.content, path
        return served

    return get


async def test_the_fast_routes_come_first(app: Any) -> None:
    assert [type(route) for route in app.router.routes[:2]] == [FastRead, FastRead]


async def test_200_and_304_are_the_routes_own(
    compare: Compare, create: Any, sample_contract: dict[str, Any]
) -> None:
    created = await create(sample_contract)
    commerce = bearer(publisher_token("commerce"))
    marketing = bearer(publisher_token("marketing"))
    for path in (f"/api/v1/contracts/{created['id']}", "/api/v1/contracts/name/test_orders"):
        for reader in (None, commerce, marketing):
            read = await compare(path, reader, fast=True)
            assert read.status_code == 200
            tag = read.headers["ETag"]
            for held in (tag, "W/" + tag, '"other", ' + tag, "*"):
                again = await compare(path, {**(reader or {}), "If-None-Match": held}, fast=True)
                assert again.status_code == 304
            stale = await compare(path, {"If-None-Match": '"1.0.0~0"'}, fast=True)
            assert stale.status_code == 200
        cors = {"Origin": "http://localhost:5173"}
        assert (await compare(path, cors, fast=True)).status_code == 200


async def test_401_404_are_the_routes_own(
    compare: Compare,
    create: Any,
    sample_contract: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created = await create(sample_contract)
    by_id = f"/api/v1/contracts/{created['id']}"
    by_name = "/api/v1/contracts/name/test_orders"
    refused = {
        "no Bearer": {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
        "empty": {"Authorization": "Bearer "},
        "garbage": bearer("not-a-token"),
        "other secret": bearer(publisher_token("commerce", secret="x" * 40)),
        "another API's": bearer(internal_service_token(Service.MONITOR, Service.NOTIFICATIONS)),
        "expired": bearer(create_token(DEVELOPMENT_SECRET, "alice", ttl=timedelta(seconds=-120))),
    }
    for path in (by_id, by_name):
        for why, headers in refused.items():
            answer = await compare(path, headers, fast=True)
            assert answer.status_code == 401, (why, answer.text)
    for path in (f"/api/v1/contracts/{uuid.uuid4()}", "/api/v1/contracts/name/no_such"):
        assert (await compare(path, fast=True)).status_code == 404
    monkeypatch.setattr(get_settings(), "datapact_reads_require_auth", True)
    for path in (by_id, by_name):
        assert (await compare(path, fast=True)).status_code == 401
        commerce = bearer(publisher_token("commerce"))
        assert (await compare(path, commerce, fast=True)).status_code == 200


async def test_what_fastapi_validates_is_left_to_fastapi(
    compare: Compare, create: Any, sample_contract: dict[str, Any]
) -> None:
    """422s (and the other spellings of an id) are not the fast routes' to answer."""
    created = await create(sample_contract)
    long_name = "/api/v1/contracts/name/" + "n" * 256
    assert (await compare(long_name, fast=False)).status_code == 422
    assert (await compare("/api/v1/contracts/name/" + "n" * 255, fast=True)).status_code == 404
    assert (await compare("/api/v1/contracts/not-a-uuid", fast=False)).status_code == 422
    upper = f"/api/v1/contracts/{created['id'].upper()}"
    assert (await compare(upper, fast=False)).status_code == 200
    by_name = "/api/v1/contracts/name/test_orders"
    too_many_tags = {"If-None-Match": '"' + "t" * 1001 + '"'}
    assert (await compare(by_name, too_many_tags, fast=False)).status_code == 422
    assert (await compare("/api/v1/contracts/name/", fast=False)).status_code == 307  # slash
