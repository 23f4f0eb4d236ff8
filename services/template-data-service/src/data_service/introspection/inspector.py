"""Read the live schema through SQLAlchemy's inspector.

Inspection always runs on the sync side of an ``AsyncConnection`` (``run_sync``); the
``get_multi_*`` calls fetch every table's columns/keys in one query each, so inspecting a
thousand tables costs a handful of round trips, not thousands.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Inspector
from sqlalchemy.engine.interfaces import ReflectedColumn
from sqlalchemy.engine.reflection import ObjectKind
from sqlalchemy.exc import CompileError, NoSuchTableError, SAWarning
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import NullType, TypeEngine, UserDefinedType

# Alembic's bookkeeping is not part of any dataset.
IGNORED_TABLES = frozenset({"alembic_version"})

TableKey = tuple[str | None, str]


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str
    nullable: bool
    default: str | None
    primary_key: bool
    sqltype: TypeEngine[Any] = field(compare=False, repr=False)


@dataclass(frozen=True)
class ForeignKeyInfo:
    columns: list[str]
    references: str


@dataclass
class TableInfo:
    name: str
    columns: dict[str, ColumnInfo]
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[ForeignKeyInfo] = field(default_factory=list)
    unique: list[list[str]] = field(default_factory=list)


def qualified_name(schema: str | None, table: str) -> str:
    """How a table is named in /schema and in a contract's ``table``."""
    return f"{schema}.{table}" if schema else table


def split_qualified(name: str) -> TableKey:
    schema, dot, table = name.rpartition(".")
    return (schema if dot else None), table


def type_name(sqltype: TypeEngine[Any], connection: Connection) -> str:
    """PostgreSQL's name for a reflected type, e.g. ``TIMESTAMP WITH TIME ZONE``."""
    try:
        return sqltype.compile(dialect=connection.dialect)
    except CompileError:  # a type SQLAlchemy does not know (reflected as NullType)
        return str(sqltype).upper() or "UNKNOWN"


def _default(column: ReflectedColumn) -> str | None:
    identity = column.get("identity")
    if identity:
        return f"GENERATED {'ALWAYS' if identity.get('always') else 'BY DEFAULT'} AS IDENTITY"
    computed = column.get("computed")
    if computed:
        return f"GENERATED ALWAYS AS ({computed['sqltext']}) STORED"
    default = column.get("default")
    return None if default is None else str(default)


class PostgresNamedType(UserDefinedType[Any]):
    """A type SQLAlchemy does not know (``point``, ``macaddr8`` ...), under PostgreSQL's name."""

    cache_ok = True

    def __init__(self, name: str) -> None:
        self.name = name

    def get_col_spec(self, **kw: Any) -> str:
        return self.name


_FORMAT_TYPES = text(
    """
    SELECT n.nspname = current_schema() AS is_default, n.nspname, c.relname, a.attname,
           format_type(a.atttypid, a.atttypmod) AS type_name
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relname = ANY(:tables)
    """
)


def _name_unknown_types(
    connection: Connection, found: dict[TableKey, list[ReflectedColumn]]
) -> None:
    """SQLAlchemy reflects an unknown type as NullType, which /schema would report as
    ``NULL``; ask PostgreSQL for its real name instead (one query, only when needed)."""
    unknown = {
        (key, col["name"]): col
        for key, cols in found.items()
        for col in cols
        if isinstance(col["type"], NullType)
    }
    if not unknown:
        return
    tables = sorted({key[1] for key, _ in unknown})
    for row in connection.execute(_FORMAT_TYPES, {"tables": tables}):
        for key in ((None, row.relname), (row.nspname, row.relname)):
            if key[0] is None and not row.is_default:
                continue
            column = unknown.get((key, row.attname))
            if column is not None:
                column["type"] = PostgresNamedType(row.type_name)


def _columns_by_table(
    inspector: Inspector, connection: Connection, schemas: Iterable[str | None]
) -> dict[TableKey, list[ReflectedColumn]]:
    found: dict[TableKey, list[ReflectedColumn]] = {}
    for schema in dict.fromkeys(schemas):
        with warnings.catch_warnings():
            # such columns are named by PostgreSQL below (_name_unknown_types)
            warnings.filterwarnings("ignore", "Did not recognize type", SAWarning)
            columns = inspector.get_multi_columns(schema=schema, kind=ObjectKind.ANY)
        found.update({key: cols for key, cols in columns.items() if key[1] not in IGNORED_TABLES})
    _name_unknown_types(connection, found)
    return found


def column_infos(
    raw: list[ReflectedColumn], primary_key: list[str], connection: Connection
) -> dict[str, ColumnInfo]:
    return {
        col["name"]: ColumnInfo(
            name=col["name"],
            type=type_name(col["type"], connection),
            nullable=bool(col.get("nullable", True)),
            default=_default(col),
            primary_key=col["name"] in primary_key,
            sqltype=col["type"],
        )
        for col in raw
    }


def inspect_columns(
    connection: Connection, schemas: Iterable[str | None] = (None,)
) -> dict[str, TableInfo]:
    """Only the columns of every table and view (what /metrics needs)."""
    inspector = inspect(connection)
    return {
        qualified_name(*key): TableInfo(
            name=qualified_name(*key), columns=column_infos(cols, [], connection)
        )
        for key, cols in _columns_by_table(inspector, connection, schemas).items()
    }


def inspect_table_columns(connection: Connection, name: str) -> TableInfo | None:
    """The columns of one table (``None`` when it does not exist)."""
    schema, table = split_qualified(name)
    try:
        raw = inspect(connection).get_columns(table, schema=schema)
    except NoSuchTableError:
        return None
    return TableInfo(name=name, columns=column_infos(raw, [], connection))


def inspect_tables(
    connection: Connection, schemas: Iterable[str | None] = (None,)
) -> dict[str, TableInfo]:
    """Columns, primary keys, foreign keys and unique constraints of every table and view."""
    inspector = inspect(connection)
    schemas = list(dict.fromkeys(schemas))
    columns = _columns_by_table(inspector, connection, schemas)
    primary: dict[TableKey, Any] = {}
    foreign: dict[TableKey, Any] = {}
    uniques: dict[TableKey, Any] = {}
    indexes: dict[TableKey, Any] = {}
    for schema in schemas:
        primary.update(inspector.get_multi_pk_constraint(schema=schema, kind=ObjectKind.ANY))
        foreign.update(inspector.get_multi_foreign_keys(schema=schema, kind=ObjectKind.ANY))
        uniques.update(inspector.get_multi_unique_constraints(schema=schema, kind=ObjectKind.ANY))
        indexes.update(inspector.get_multi_indexes(schema=schema, kind=ObjectKind.ANY))

    tables: dict[str, TableInfo] = {}
    for key, raw in sorted(columns.items(), key=lambda item: qualified_name(*item[0])):
        pk = list((primary.get(key) or {}).get("constrained_columns") or [])
        tables[qualified_name(*key)] = TableInfo(
            name=qualified_name(*key),
            columns=column_infos(raw, pk, connection),
            primary_key=pk,
            foreign_keys=[_foreign_key(fk) for fk in foreign.get(key, [])],
            unique=_unique_sets(uniques.get(key, []), indexes.get(key, [])),
        )
    return tables


def _foreign_key(fk: dict[str, Any]) -> ForeignKeyInfo:
    target = qualified_name(fk.get("referred_schema"), fk["referred_table"])
    referred = fk["referred_columns"]
    columns = referred[0] if len(referred) == 1 else f"({', '.join(referred)})"
    return ForeignKeyInfo(columns=list(fk["constrained_columns"]), references=f"{target}.{columns}")


def _unique_sets(
    constraints: list[dict[str, Any]], indexes: list[dict[str, Any]]
) -> list[list[str]]:
    """Unique constraints plus unique indexes over plain columns (not expressions, not partial)."""
    sets: list[list[str]] = [list(c["column_names"]) for c in constraints]
    for index in indexes:
        names = index.get("column_names") or []
        partial = (index.get("dialect_options") or {}).get("postgresql_where") is not None
        if (
            index.get("unique")
            and not index.get("duplicates_constraint")
            and not partial
            and names
            and all(isinstance(name, str) for name in names)
            and list(names) not in sets
        ):
            sets.append(list(names))
    return sets


async def load_tables(
    connection: AsyncConnection, schemas: Iterable[str | None] = (None,)
) -> dict[str, TableInfo]:
    schemas = list(schemas)
    return await connection.run_sync(lambda sync: inspect_tables(sync, schemas))


async def load_columns(
    connection: AsyncConnection, schemas: Iterable[str | None] = (None,)
) -> dict[str, TableInfo]:
    schemas = list(schemas)
    return await connection.run_sync(lambda sync: inspect_columns(sync, schemas))
