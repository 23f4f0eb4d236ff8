"""The live schema, optionally reused for a few seconds (SCHEMA_CACHE_SECONDS)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from data_service.catalog.store import Catalog
from data_service.introspection.inspector import (
    TableInfo,
    load_columns,
    load_tables,
    split_qualified,
)

Loader = Callable[[], Awaitable[dict[str, TableInfo]]]


def schemas_of(catalog: Catalog) -> list[str | None]:
    """The default schema plus any schema a contract's ``table`` names (``sales.orders``)."""
    named = {split_qualified(c.effective_table)[0] for c in catalog.contracts}
    return [None, *sorted(s for s in named if s)]


class _TtlCache:
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[object, tuple[float, dict[str, TableInfo]]] = {}
        self._lock = asyncio.Lock()

    async def get(self, key: object, load: Loader) -> dict[str, TableInfo]:
        if self.ttl <= 0:
            return await load()
        async with self._lock:
            entry = self._entries.get(key)
            if entry is not None and time.monotonic() - entry[0] < self.ttl:
                return entry[1]
            value = await load()
            self._entries = {key: (time.monotonic(), value)}
            return value


class SchemaService:
    def __init__(self, engine: AsyncEngine, cache_seconds: float) -> None:
        self.engine = engine
        self._tables = _TtlCache(cache_seconds)
        self._columns = _TtlCache(cache_seconds)

    async def tables(self, schemas: list[str | None]) -> dict[str, TableInfo]:
        async def load() -> dict[str, TableInfo]:
            async with self.engine.connect() as connection:
                return await load_tables(connection, schemas)

        return await self._tables.get(tuple(schemas), load)

    async def columns(
        self, schemas: list[str | None], *, fresh: bool = False
    ) -> dict[str, TableInfo]:
        async def load() -> dict[str, TableInfo]:
            async with self.engine.connect() as connection:
                return await load_columns(connection, schemas)

        if fresh:
            return await load()
        return await self._columns.get(tuple(schemas), load)
