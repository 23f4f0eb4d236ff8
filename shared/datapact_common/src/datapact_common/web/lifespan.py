"""One way a service's ``main.py`` holds what lives as long as the process: its engines,
Redis and HTTP clients, background runners (docs/conventions.md, "Lifespan").

``build_lifespan(*resources)`` is the app's lifespan. It opens the resources in the order
given, publishes each named one on ``app.state`` (a later resource may use an earlier one,
and the routes read them through :func:`from_state`), and at shutdown closes them in the
reverse order; when one fails to open, those already open are closed before the error
propagates::

    lifespan = build_lifespan(
        engine(get_engine),                                   # disposed of last
        entered("http", lambda state: httpx.AsyncClient()),   # async with, on app.state.http
        held("runner", lambda state: Runner(state.http), close=Runner.stop),
        freeze_gc(),                                          # the last step at start-up
    )

Why ``app.state`` and not the lifespan state a lifespan may ``yield`` (Starlette copies
that dict into every request's ``request.state``): the lifespan state exists only when a
server runs the lifespan and supports it (Starlette raises "The server does not support
'state' in the lifespan scope" otherwise). The test suites call their apps in-process
through ``httpx.ASGITransport``, which runs no lifespan, and put what a route needs on
``app.state`` themselves; with ``app.state`` that is one assignment and the route's code is
the same.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast

from fastapi import FastAPI, Request
from starlette.datastructures import State

from datapact_common.collector import freeze_survivors

if TYPE_CHECKING:  # SQLAlchemy is imported by the services with a database, not here
    from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


@dataclass(frozen=True)
class Resource:
    """Something opened at start-up and closed at shutdown; ``name``: its attribute on
    ``app.state`` (``None``: not published)."""

    open: Callable[[State], AbstractAsyncContextManager[object]]
    name: str | None = None


async def _call(fn: Callable[..., object], *args: object) -> None:
    result = fn(*args)
    if inspect.isawaitable(result):
        await result


def held(
    name: str | None,
    make: Callable[[State], T],
    close: Callable[[T], Awaitable[object] | object] | None = None,
) -> Resource:
    """``make(app.state)`` at start-up, ``close(value)`` (sync or async) at shutdown."""

    @asynccontextmanager
    async def open_(state: State) -> AsyncIterator[T]:
        value = make(state)
        try:
            yield value
        finally:
            if close is not None:
                await _call(close, value)

    return Resource(open_, name)


def entered(name: str | None, make: Callable[[State], AbstractAsyncContextManager[T]]) -> Resource:
    """An async context manager (``httpx.AsyncClient``, ``redis.asyncio.Redis``), entered at
    start-up and exited at shutdown; ``app.state.<name>`` is what it entered as."""
    return Resource(make, name)


def engine(get: Callable[[], AsyncEngine], name: str | None = None) -> Resource:
    """A SQLAlchemy engine (a service's cached ``get_engine``), disposed of at shutdown."""
    return held(name, lambda state: get(), lambda engine: engine.dispose())


def on_start(fn: Callable[[], Awaitable[object] | object]) -> Resource:
    """A step at start-up, at its place in the order (``gc.freeze`` last, logging first)."""

    @asynccontextmanager
    async def open_(state: State) -> AsyncIterator[None]:
        await _call(fn)
        yield

    return Resource(open_)


def freeze_gc() -> Resource:
    """The last step at start-up: everything loaded so far lives as long as the process, so
    it is collected once and frozen, kept out of the cyclic garbage collector's full passes,
    which otherwise stall requests now and then."""
    return on_start(freeze_survivors)


def on_stop(fn: Callable[[], Awaitable[object] | object]) -> Resource:
    """A step at shutdown, before everything declared ahead of it is closed."""
    return held(None, lambda state: None, lambda _: fn())


def build_lifespan(*resources: Resource) -> Lifespan:
    """The app's lifespan: ``FastAPI(lifespan=build_lifespan(...))``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for resource in resources:
                value = await stack.enter_async_context(resource.open(app.state))
                if resource.name is not None:
                    setattr(app.state, resource.name, value)
            yield

    return lifespan


def state_value(request: Request, name: str, kind: type[T]) -> T:
    """``app.state.<name>``, typed as ``kind`` (for code that holds a request)."""
    return cast(T, getattr(request.app.state, name))


def from_state(name: str, kind: type[T]) -> Callable[[Request], Awaitable[T]]:
    """The dependency that returns ``app.state.<name>``, typed as ``kind``:
    ``MonitorDep = Annotated[Monitor, Depends(get_monitor)]`` with
    ``get_monitor = from_state("monitor", Monitor)``. It is ``async``: FastAPI would run a
    plain ``def`` in its thread pool, a thread hop for an attribute read."""

    async def dependency(request: Request) -> T:
        return state_value(request, name, kind)

    dependency.__name__ = dependency.__qualname__ = f"get_{name}"
    return dependency


__all__ = [
    "Lifespan",
    "Resource",
    "build_lifespan",
    "engine",
    "entered",
    "freeze_gc",
    "from_state",
    "held",
    "on_start",
    "on_stop",
    "state_value",
]
