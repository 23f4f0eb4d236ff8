"""FastJSONRoute: a JSON body parsed by pydantic-core answers exactly as FastAPI's own
parsing (the standard library) does, accepted or refused, in a small real FastAPI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import PlainTextResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from datapact_common.web import FastJSONRoute, install_error_handlers


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app, database=False)
    plain, fast = APIRouter(), APIRouter(route_class=FastJSONRoute)

    async def echo(body: dict[str, Any]) -> PlainTextResponse:
        # repr: the exact values and their types (an int stays an int, -0.0 stays -0.0)
        return PlainTextResponse(repr(body))

    plain.add_api_route("/plain", echo, methods=["POST"])
    fast.add_api_route("/fast", echo, methods=["POST"])
    app.include_router(plain)
    app.include_router(fast)
    return app


APP = build_app()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def answers(client: httpx.AsyncClient, body: bytes) -> tuple[Any, Any]:
    headers = {"Content-Type": "application/json"}
    plain = await client.post("/plain", content=body, headers=headers)
    fast = await client.post("/fast", content=body, headers=headers)
    return (plain.status_code, plain.text), (fast.status_code, fast.text)


EDGES = [
    b'{"a": 1}',
    b'{"a": 1, "a": 2}',  # the last one wins
    b'{"n": 123456789012345678901234567890, "f": 1e999, "g": -0.0, "h": 1E2, "z": -0}',
    b'{"f": 0.1, "g": 2.2250738585072014e-308, "h": 5e-324, "i": 1.7976931348623157e308}',
    b'{"nan": NaN}',
    b'{"inf": Infinity, "m": -Infinity}',
    b'{"s": "\\ud800"}',  # a lone surrogate: jiter refuses, json.loads takes it
    b'{"s": "\\ud83d\\ude00 \\u00e9 \\u0000 \\t"}',
    b'{"s": "\xc3\xa9 \xe2\x98\x83"}',
    b'{"s": "\xff"}',  # not UTF-8
    b'\xef\xbb\xbf{"bom": 1}',
    '{"utf16": 1}'.encode("utf-16"),
    b'{"s": "raw \x01 control"}',
    b'{"a": 1} trailing',
    b'{"a": 1,}',
    b'{"a": [1, 2,]}',
    b"{'a': 1}",
    b'{"a": 01}',
    b'{"a": 1.}',
    b'{"a": .5}',
    b'{"a": +1}',
    b'{"a": tru}',
    b'  {"a": 1}  \n',
    b"[1, 2]",
    b'"text"',
    b"null",
    b'{"deep": ' + b"[" * 300 + b"]" * 300 + b"}",
    b'{"deep": ' + b"[" * 150 + b"]" * 150 + b"}",
    b"{",
    b"",
]


@pytest.mark.parametrize("body", EDGES)
async def test_the_edges_answer_as_fastapi_does(client: httpx.AsyncClient, body: bytes) -> None:
    plain, fast = await answers(client, body)
    assert fast == plain


async def test_any_json_text_answers_as_fastapi_does(client: httpx.AsyncClient) -> None:
    values = st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**80), max_value=2**80)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=12,
    )
    # JSON text, sometimes damaged: a byte dropped, or a token put in
    import json

    documents = st.builds(
        lambda value, cut, insert, ascii_only: _damaged(
            json.dumps({"v": value}, ensure_ascii=ascii_only).encode(), cut, insert
        ),
        values,
        st.integers(min_value=-1, max_value=60),
        st.sampled_from([b"", b"NaN", b"\\ud800", b",", b"]", b'"', b"\\", b"1e400", b" "]),
        st.booleans(),
    )
    seen: list[tuple[Any, Any]] = []

    @settings(max_examples=300, deadline=None)
    @given(documents)
    def collect(body: bytes) -> None:
        seen.append(body)  # type: ignore[arg-type]

    collect()
    for body in seen:
        plain, fast = await answers(client, body)  # type: ignore[arg-type]
        assert fast == plain, body


def _damaged(text: bytes, cut: int, insert: bytes) -> bytes:
    if cut < 0 or cut >= len(text):
        return text
    return text[:cut] + insert + text[cut + 1 :]
