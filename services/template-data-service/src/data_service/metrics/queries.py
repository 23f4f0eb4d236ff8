"""The one aggregate query per table, built from SQLAlchemy constructs.

Identifiers go through ``table()``/``column()``, so SQLAlchemy quotes them; no name from
a contract is ever pasted into SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Select, Text, cast, column, distinct, func, select, table, tuple_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from data_service.introspection.inspector import split_qualified
from data_service.metrics.plan import TablePlan


@dataclass
class TableAggregate:
    row_count: int | None = None
    non_null: dict[str, int] = field(default_factory=dict)
    distinct: dict[str, int] = field(default_factory=dict)
    composite_distinct: dict[tuple[str, ...], int] = field(default_factory=dict)
    latest: dict[str, datetime | None] = field(default_factory=dict)
    database_now: datetime | None = None
    error: str | None = None


@dataclass(frozen=True)
class AggregateShape:
    """Everything the statement depends on; equal shapes share one built statement."""

    table: str
    counts: tuple[str, ...]
    distincts: tuple[str, ...]
    composites: tuple[tuple[str, ...], ...]
    maxima: tuple[str, ...]
    as_text: frozenset[str]  # ``json`` has no equality operator: compare its text instead


def shape_of(plan: TablePlan) -> AggregateShape:
    columns = plan.info.columns if plan.info else {}
    return AggregateShape(
        table=plan.table,
        counts=tuple(plan.counts),
        distincts=tuple(plan.distincts),
        composites=tuple(plan.composites),
        maxima=tuple(plan.maxima),
        as_text=frozenset(
            c
            for c in plan.distincts
            if c in columns
            and isinstance(columns[c].sqltype, JSON)
            and not isinstance(columns[c].sqltype, JSONB)
        ),
    )


@lru_cache(maxsize=4096)
def aggregate_statement(shape: AggregateShape) -> Select[Any]:
    """Built once per shape: building a few dozen expressions for each of a thousand
    tables on every request would cost more than running the queries."""
    schema, name = split_qualified(shape.table)
    wanted = dict.fromkeys(
        [*shape.counts, *shape.distincts, *shape.maxima, *(c for k in shape.composites for c in k)]
    )
    source = table(name, *(column(c) for c in wanted), schema=schema)

    def operand(name: str) -> ColumnElement[Any]:
        col: ColumnElement[Any] = source.c[name]
        return cast(col, Text) if name in shape.as_text else col

    items: list[ColumnElement[Any]] = [
        func.count().label("row_count"),
        func.now().label("database_now"),
    ]
    items += [func.count(source.c[c]).label(f"n{i}") for i, c in enumerate(shape.counts)]
    items += [
        func.count(distinct(operand(c))).label(f"d{i}") for i, c in enumerate(shape.distincts)
    ]
    items += [
        func.count(distinct(tuple_(*(source.c[c] for c in key)))).label(f"k{i}")
        for i, key in enumerate(shape.composites)
    ]
    items += [func.max(source.c[c]).label(f"m{i}") for i, c in enumerate(shape.maxima)]
    return select(*items).select_from(source)


def _as_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


async def run_aggregate(connection: AsyncConnection, plan: TablePlan) -> TableAggregate:
    row = (await connection.execute(aggregate_statement(shape_of(plan)))).one()._mapping
    return TableAggregate(
        row_count=int(row["row_count"]),
        non_null={c: int(row[f"n{i}"]) for i, c in enumerate(plan.counts)},
        distinct={c: int(row[f"d{i}"]) for i, c in enumerate(plan.distincts)},
        composite_distinct={k: int(row[f"k{i}"]) for i, k in enumerate(plan.composites)},
        latest={c: _as_utc(row[f"m{i}"]) for i, c in enumerate(plan.maxima)},
        database_now=_as_utc(row["database_now"]),
    )
