"""The one aggregate query per table, built from SQLAlchemy constructs.

Identifiers go through ``table()``/``column()``, so SQLAlchemy quotes them; no name from
a contract is ever pasted into SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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


def _distinct_operand(plan: TablePlan, name: str, col: ColumnElement[Any]) -> ColumnElement[Any]:
    """``json`` has no equality operator in PostgreSQL; compare its text instead."""
    sqltype = plan.info.columns[name].sqltype if plan.info else None
    if isinstance(sqltype, JSON) and not isinstance(sqltype, JSONB):
        return cast(col, Text)
    return col


def aggregate_statement(plan: TablePlan) -> Select[Any]:
    schema, name = split_qualified(plan.table)
    wanted = dict.fromkeys(
        [*plan.counts, *plan.distincts, *plan.maxima, *(c for key in plan.composites for c in key)]
    )
    source = table(name, *(column(c) for c in wanted), schema=schema)
    items: list[ColumnElement[Any]] = [
        func.count().label("row_count"),
        func.now().label("database_now"),
    ]
    items += [func.count(source.c[c]).label(f"n{i}") for i, c in enumerate(plan.counts)]
    items += [
        func.count(distinct(_distinct_operand(plan, c, source.c[c]))).label(f"d{i}")
        for i, c in enumerate(plan.distincts)
    ]
    items += [
        func.count(distinct(tuple_(*(source.c[c] for c in key)))).label(f"k{i}")
        for i, key in enumerate(plan.composites)
    ]
    items += [func.max(source.c[c]).label(f"m{i}") for i, c in enumerate(plan.maxima)]
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
    row = (await connection.execute(aggregate_statement(plan))).one()._mapping
    return TableAggregate(
        row_count=int(row["row_count"]),
        non_null={c: int(row[f"n{i}"]) for i, c in enumerate(plan.counts)},
        distinct={c: int(row[f"d{i}"]) for i, c in enumerate(plan.distincts)},
        composite_distinct={k: int(row[f"k{i}"]) for i, k in enumerate(plan.composites)},
        latest={c: _as_utc(row[f"m{i}"]) for i, c in enumerate(plan.maxima)},
        database_now=_as_utc(row["database_now"]),
    )
