"""The two hottest reads, ``GET /api/v1/contracts/{id}`` and ``/name/{name}``, as plain ASGI
routes ahead of FastAPI's routing (docs/performance.md, "A fast path for the two GETs").

FastAPI spends more per read than the read itself: matching through the included routers,
solving the reader and ``If-None-Match`` dependencies, validating them. These routes do the
same checks directly, and take a request only when FastAPI's route would accept its input:

- ``GET`` and exactly the route's path: a name of 1 to 255 characters, or a contract id in its
  canonical form (lowercase, hyphenated: what ``str(uuid)`` gives);
- at most one ``If-None-Match`` header, of at most 1,000 characters;
- no ``root_path`` (a deployment under a path prefix is served by FastAPI alone).

Any other request (another method, a name too long, an id spelt otherwise, two
``If-None-Match``) is not theirs: routing goes on to FastAPI's routes, which answer as before
(405, 422, ...). What they answer is what the FastAPI route answers, byte for byte
(tests/test_fast_reads.py compares them): the same reader dependency (``auth.reader``: the
same token, audience and expiry checks, the same 401/403 through the same error handlers), the
same read (``router.read_by_name``/``read_by_id``: 404, body, ``ETag``, 304, headers). The
routes stay declared in FastAPI, so the OpenAPI document is unchanged.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from contract_service.contracts.router import read_by_id, read_by_name, router
from contract_service.dependencies import auth
from datapact_common.tokens import Principal

__all__ = ["FastRead", "fast_reads"]

_PREFIX = router.prefix + "/"
_BY_NAME = _PREFIX + "name/"
_NAME_MAX = 255  # the route's Path(max_length=255)
_IF_NONE_MATCH_MAX = 1000  # the route's Header(max_length=1000)

_SCOPE_KEY = "contract_service.fast_read"  # the matched key and If-None-Match, for handle()

Read = Callable[[str, Principal | None, str | None], Awaitable[Response]]


def _by_name(name: str) -> str | None:
    return name if 0 < len(name) <= _NAME_MAX and "/" not in name else None


def _by_id(text: str) -> uuid.UUID | None:
    if len(text) != 36:
        return None
    try:
        contract_id = uuid.UUID(text)
    except ValueError:
        return None
    return contract_id if str(contract_id) == text else None


async def _read_by_name(key: str, reader: Principal | None, tags: str | None) -> Response:
    return await read_by_name(key, reader, tags)


async def _read_by_id(key: str, reader: Principal | None, tags: str | None) -> Response:
    return await read_by_id(uuid.UUID(key), reader, tags)


class FastRead(BaseRoute):
    """``GET <prefix><key>``, where ``accept(key)`` says the FastAPI route would take it."""

    def __init__(
        self, prefix: str, path_format: str, accept: Callable[[str], object], read: Read
    ) -> None:
        self.prefix = prefix
        self.path_format = path_format  # what FastAPI's routing reports as the route
        self.accept = accept
        self.read = read

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
            return Match.NONE, {}
        path: str = scope["path"]
        if not path.startswith(self.prefix):
            return Match.NONE, {}
        key = path[len(self.prefix) :]
        if self.accept(key) is None:
            return Match.NONE, {}
        tags = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if tags is not None or len(value) > _IF_NONE_MATCH_MAX:
                    return Match.NONE, {}  # FastAPI's validation answers
                tags = value
        return Match.FULL, {_SCOPE_KEY: (key, None if tags is None else tags.decode("latin-1"))}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        key, tags = scope[_SCOPE_KEY]
        reader = await auth.reader(Request(scope, receive))
        response = await self.read(key, reader, tags)
        await response(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        raise NoMatchFound(name, path_params)  # unnamed: url_for finds FastAPI's routes

    def __repr__(self) -> str:
        return f"FastRead({self.path_format!r})"


def fast_reads() -> list[BaseRoute]:
    """The routes, to put first in the app's router."""
    return [
        FastRead(_BY_NAME, _BY_NAME + "{name}", _by_name, _read_by_name),
        FastRead(_PREFIX, _PREFIX + "{contract_id}", _by_id, _read_by_id),
    ]
