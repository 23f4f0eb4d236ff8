"""datapact_common.web.lifespan: resources open in order, close in reverse, on app.state."""

from __future__ import annotations

import gc
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI
from starlette.datastructures import State

from datapact_common.web.lifespan import (
    Resource,
    build_lifespan,
    entered,
    freeze_gc,
    from_state,
    held,
    on_start,
    on_stop,
)


class Client:
    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name

    async def aclose(self) -> None:
        self.log.append(f"close {self.name}")


def resources(log: list[str]) -> list[Resource]:
    @asynccontextmanager
    async def http(state: State) -> AsyncIterator[Client]:
        log.append("open http")
        yield Client(log, "http")
        log.append("exit http")

    def runner(state: State) -> str:
        log.append("open runner")
        return f"runner using {state.http.name}"  # an earlier resource, already on app.state

    return [
        on_start(lambda: log.append("logging")),
        entered("http", http),
        held("runner", runner, close=lambda value: log.append(f"stop {value}")),
        on_stop(lambda: log.append("drain")),
    ]


async def test_resources_open_in_order_close_in_reverse_and_sit_on_app_state() -> None:
    log: list[str] = []
    app = FastAPI(lifespan=build_lifespan(*resources(log)))
    async with app.router.lifespan_context(app):
        assert app.state.runner == "runner using http"
        assert isinstance(app.state.http, Client)
        log.append("serving")
    assert log == [
        "logging",
        "open http",
        "open runner",
        "serving",
        "drain",
        "stop runner using http",
        "exit http",
    ]


async def test_a_resource_that_fails_to_open_closes_those_already_open() -> None:
    log: list[str] = []

    def broken(state: State) -> None:
        raise ConnectionError("no Redis")

    app = FastAPI(
        lifespan=build_lifespan(
            held(
                "first",
                lambda state: log.append("open first"),
                close=lambda _: log.append("close first"),
            ),
            held("second", broken),
        )
    )
    with pytest.raises(ConnectionError):
        async with app.router.lifespan_context(app):
            pass
    assert log == ["open first", "close first"]


async def test_an_async_close_is_awaited() -> None:
    log: list[str] = []
    app = FastAPI(
        lifespan=build_lifespan(held("client", lambda state: Client(log, "c"), Client.aclose))
    )
    async with app.router.lifespan_context(app):
        pass
    assert log == ["close c"]


get_counter = from_state("counter", int)
CounterDep = Annotated[int, Depends(get_counter)]


async def test_from_state_is_the_typed_dependency_of_a_state_value() -> None:
    app = FastAPI()

    @app.get("/count")
    async def count(counter: CounterDep) -> dict[str, int]:
        return {"counter": counter}

    app.state.counter = 7  # what an in-process test sets when no lifespan runs
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        response = await client.get("/count")
    assert response.json() == {"counter": 7}
    assert get_counter.__name__ == "get_counter"
    assert "counter" not in str(app.openapi()["paths"]["/count"].get("parameters", []))


class Node:
    def __init__(self) -> None:
        self.self = self  # a cycle: only the collector frees it


async def test_freeze_gc_collects_then_freezes_what_start_up_loaded() -> None:
    gc.unfreeze()
    app = FastAPI(lifespan=build_lifespan(freeze_gc()))
    garbage = weakref.ref(Node())
    try:
        async with app.router.lifespan_context(app):
            assert gc.get_freeze_count() > 0
            assert garbage() is None  # collected, not frozen for the process's life
    finally:
        gc.unfreeze()
