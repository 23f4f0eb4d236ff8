"""The page query, built from SQLAlchemy constructs (identifiers quoted by SQLAlchemy)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import column, select, table
from sqlalchemy.ext.asyncio import AsyncConnection

from data_service.introspection.inspector import split_qualified


async def read_page(
    connection: AsyncConnection,
    table_name: str,
    columns: list[str],
    order_by: list[str],
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    schema, name = split_qualified(table_name)
    source = table(name, *(column(c) for c in dict.fromkeys([*columns, *order_by])), schema=schema)
    statement = (
        select(*(source.c[c] for c in columns))
        .order_by(*(source.c[c] for c in order_by))
        .limit(limit)
        .offset(offset)
    )
    result = await connection.execute(statement)
    return [dict(row) for row in result.mappings()]
