"""PostgreSQL 13+ through psycopg 3 (sync), pooled by SQLAlchemy.

The catalogue is read from ``pg_catalog`` in two statements, whatever the number of tables:
columns (with each domain's base type, enum labels, identity and generated columns) and
constraints; a third one reads comments and CHECK constraints when asked (``details``). A
partitioned table also gets the keys declared on its partitions: a primary key, unique
constraint or foreign key that every partition has is reported on the parent.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from datapact_common.engines.base import (
    CheckInfo,
    ColumnInfo,
    Engine,
    EngineError,
    ForeignKeyInfo,
    Kind,
    Rows,
    Session,
    TableInfo,
    fetch_each,
)

_QUERY_CANCELED = "57014"
# psycopg's placeholders: %% (a literal %), %(name)s, and what this module does not convert.
_PLACEHOLDER = re.compile(r"%(?:\(([^)]+)\)(.)|(.))", re.DOTALL)

_COLUMNS = text(
    """
    SELECT n.nspname, c.relname, c.relkind, c.relispartition, c.relhassubclass,
           n.nspname = current_schema() AS in_default,
           a.attname, format_type(a.atttypid, a.atttypmod) AS type_name,
           NOT (a.attnotnull OR coalesce(t.typnotnull, false)) AS nullable,
           pg_get_expr(d.adbin, d.adrelid) AS default_sql, a.attidentity, a.attgenerated,
           t.typtype, t.typcategory, t.typname,
           b.typtype AS base_typtype, b.typcategory AS base_category, b.typname AS base_name,
           format_type(t.typbasetype, t.typtypmod) AS domain_base,
           el.typtype AS elem_typtype, el.typname AS elem_name,
           format_type(elb.oid, NULL) AS elem_base,
           (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
             WHERE e.enumtypid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END)
             AS labels,
           pc.relname AS parent_name, pn.nspname AS parent_schema,
           pn.nspname = current_schema() AS parent_in_default
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
    LEFT JOIN pg_type el ON el.oid = t.typelem AND t.typcategory = 'A'
    LEFT JOIN pg_type elb
      ON elb.oid = CASE WHEN el.typtype = 'd' THEN el.typbasetype ELSE el.oid END
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_inherits pi ON pi.inhrelid = c.oid AND c.relispartition
    LEFT JOIN pg_class pc ON pc.oid = pi.inhparent
    LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND (n.nspname = current_schema() OR n.nspname = ANY(:schemas))
    ORDER BY n.nspname, c.relname, a.attnum
    """
)

_CONSTRAINTS = text(
    """
    SELECT n.nspname, c.relname, n.nspname = current_schema() AS in_default, k.contype,
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, pos)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num
                 ORDER BY u.pos) AS columns,
           fn.nspname AS ref_schema, fc.relname AS ref_table,
           fn.nspname = current_schema() AS ref_in_default,
           ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(num, pos)
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num
                 ORDER BY u.pos) AS ref_columns
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class fc ON fc.oid = k.confrelid
    LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
    WHERE k.contype IN ('p', 'u', 'f')
      AND (n.nspname = current_schema() OR n.nspname = ANY(:schemas))
    UNION ALL
    SELECT n.nspname, c.relname, n.nspname = current_schema(), 'i',
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(num, pos)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.num
                 ORDER BY u.pos),
           NULL, NULL, NULL, NULL
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL AND i.indexprs IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      AND (n.nspname = current_schema() OR n.nspname = ANY(:schemas))
    """
)

# What only a description of the schema needs (``details``): comments, and CHECK constraints
# of tables and of the domains columns are declared with (``VALUE`` is the column there).
_DETAILS = text(
    """
    SELECT n.nspname, c.relname, n.nspname = current_schema() AS in_default,
           'table_comment' AS what, NULL AS column_name, d.description AS body,
           NULL::text[] AS columns, NULL AS name, true AS validated
    FROM pg_description d
    JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
     AND d.objsubid = 0
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND (n.nspname = current_schema() OR n.nspname = ANY(:schemas))
    UNION ALL
    SELECT n.nspname, c.relname, n.nspname = current_schema(), 'column_comment', a.attname,
           d.description, NULL, NULL, true
    FROM pg_description d
    JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE d.objsubid > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND (n.nspname = current_schema() OR n.nspname = ANY(:schemas))
    UNION ALL
    SELECT n.nspname, c.relname, n.nspname = current_schema(), 'check', NULL,
           pg_get_expr(k.conbin, k.conrelid),
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, pos)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num
                 ORDER BY u.pos),
           k.conname, k.convalidated
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'c'
      AND (n.nspname = current_schema() OR n.nspname = ANY(:schemas))
    UNION ALL
    SELECT n.nspname, c.relname, n.nspname = current_schema(), 'domain_check', a.attname,
           pg_get_expr(k.conbin, 0), ARRAY[a.attname::text], k.conname, k.convalidated
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid AND t.typtype = 'd'
    JOIN pg_constraint k ON k.contypid = t.oid AND k.contype = 'c'
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND (n.nspname = current_schema() OR n.nspname = ANY(:schemas))
    ORDER BY 1, 2, 4, 8
    """
)

_KINDS = {"r": "table", "p": "partitioned table", "v": "view", "m": "materialized view"}
_CATEGORY_KINDS = {
    "N": Kind.NUMBER,
    "S": Kind.TEXT,
    "E": Kind.ENUM,
    "B": Kind.BOOLEAN,
    "D": Kind.TEMPORAL,
    "A": Kind.ARRAY,
}
_NAMED_KINDS = {
    "uuid": Kind.UUID,
    "bytea": Kind.BINARY,
    "json": Kind.JSON,
    "jsonb": Kind.JSON,
    "citext": Kind.TEXT,
    **dict.fromkeys(
        ("tsvector", "interval", "inet", "cidr", "macaddr", "macaddr8", "money", "bit"),
        Kind.COMPARABLE,
    ),
}


def _qualified(schema: str, table: str, in_default: bool) -> str:
    return table if in_default else f"{schema}.{table}"


def _kind(row: Any) -> Kind:
    if row.base_typtype == "e":
        return Kind.ENUM
    if row.base_name in _NAMED_KINDS:
        return _NAMED_KINDS[row.base_name]
    return _CATEGORY_KINDS.get(row.base_category, Kind.OTHER)


def _base_type(row: Any) -> str:
    if row.typtype == "e":
        return "enum"
    if row.typtype == "d":
        return "enum" if row.base_typtype == "e" else str(row.domain_base)
    if row.typcategory == "A" and row.elem_typtype in ("e", "d"):
        element = "enum" if row.elem_typtype == "e" else str(row.elem_base)
        return f"{element}[]"
    return str(row.type_name)


def _default(row: Any) -> str | None:
    if row.attidentity:
        return f"GENERATED {'ALWAYS' if row.attidentity == 'a' else 'BY DEFAULT'} AS IDENTITY"
    if row.attgenerated:
        return f"GENERATED ALWAYS AS ({row.default_sql}) STORED"
    return None if row.default_sql is None else str(row.default_sql)


class PostgresEngine(Engine):
    name = "postgresql"
    dialect = "postgres"
    placeholder = "%({name})s"

    def __init__(self, url: str, *, pool_size: int, timeout_seconds: float, app_name: str):
        self._engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=0,
            pool_pre_ping=True,
            connect_args={
                "connect_timeout": max(1, int(timeout_seconds)),
                "application_name": app_name[:63],
                # The server stops any statement running longer (so no table hangs a sweep),
                # and the agent only reads: a stray write is refused by the server.
                "options": f"-c statement_timeout={int(timeout_seconds * 1000)} "
                "-c default_transaction_read_only=on",
            },
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            connection = self._engine.connect()
        except SQLAlchemyError as exc:
            raise EngineError(f"cannot connect: {_reason(exc)}", unavailable=True) from exc
        try:
            yield _PgSession(connection)
        finally:
            connection.close()

    def ping(self) -> None:
        with self.session() as session:
            session.fetch("SELECT 1", {})

    def catalogue(self, schemas: Sequence[str], *, details: bool = False) -> dict[str, TableInfo]:
        params = {"schemas": list(schemas)}
        extra: Sequence[Any] = ()
        try:
            with self._engine.connect() as connection:
                columns = connection.execute(_COLUMNS, params).all()
                constraints = connection.execute(_CONSTRAINTS, params).all()
                if details:
                    extra = connection.execute(_DETAILS, params).all()
        except SQLAlchemyError as exc:
            raise _engine_error(exc) from exc
        tables: dict[str, TableInfo] = {}
        for row in columns:
            name = _qualified(row.nspname, row.relname, row.in_default)
            table = tables.setdefault(
                name,
                TableInfo(
                    name=name,
                    columns={},
                    kind=_KINDS.get(row.relkind, "foreign table"),
                    partition_of=(
                        _qualified(row.parent_schema, row.parent_name, row.parent_in_default)
                        if row.parent_name
                        else None
                    ),
                    has_children=bool(row.relhassubclass),
                ),
            )
            table.columns[row.attname] = ColumnInfo(
                name=row.attname,
                type=row.type_name,
                base_type=_base_type(row),
                kind=_kind(row),
                nullable=bool(row.nullable),
                default=_default(row),
                enum_values=tuple(row.labels) if row.labels else None,
                generated=row.default_sql if row.attgenerated else None,
            )
        _add_constraints(tables, constraints)
        _inherit_from_partitions(tables)
        _add_details(tables, extra)
        return tables

    def close(self) -> None:
        self._engine.dispose()


def _add_constraints(tables: dict[str, TableInfo], rows: Sequence[Any]) -> None:
    for row in rows:
        table = tables.get(_qualified(row.nspname, row.relname, row.in_default))
        if table is None:
            continue
        columns = list(row.columns)
        if row.contype == "p":
            table.primary_key = columns
        elif row.contype in ("u", "i"):
            if columns not in table.unique:
                table.unique.append(columns)
        else:
            target = _qualified(row.ref_schema, row.ref_table, row.ref_in_default)
            refs = list(row.ref_columns)
            shown = refs[0] if len(refs) == 1 else f"({', '.join(refs)})"
            key = ForeignKeyInfo(columns=tuple(columns), references=f"{target}.{shown}")
            if key not in table.foreign_keys:
                table.foreign_keys.append(key)


def _add_details(tables: dict[str, TableInfo], rows: Sequence[Any]) -> None:
    for row in rows:
        table = tables.get(_qualified(row.nspname, row.relname, row.in_default))
        if table is None:
            continue
        if row.what == "table_comment":
            table.comment = row.body
        elif row.what == "column_comment":
            column = table.columns.get(row.column_name)
            if column is not None:
                table.columns[column.name] = replace(column, comment=row.body)
        else:
            table.checks.append(
                CheckInfo(
                    sql=row.body,
                    columns=tuple(row.columns or ()),
                    name=row.name,
                    column=row.column_name if row.what == "domain_check" else None,
                    validated=bool(row.validated),
                )
            )


def _inherit_from_partitions(tables: dict[str, TableInfo]) -> None:
    """Keys every partition declares count for the partitioned table (PostgreSQL lets them
    be declared per partition, e.g. a foreign key a migration added to each)."""
    partitions: dict[str, list[TableInfo]] = defaultdict(list)
    for table in tables.values():
        if table.partition_of:
            partitions[table.partition_of].append(table)
    for parent_name, children in partitions.items():
        parent = tables.get(parent_name)
        if parent is None or not children:
            continue
        if not parent.primary_key:
            keys = {tuple(child.primary_key) for child in children}
            if len(keys) == 1 and next(iter(keys)):
                parent.primary_key = list(next(iter(keys)))
        common_unique = [u for u in children[0].unique if all(u in c.unique for c in children)]
        parent.unique += [u for u in common_unique if u not in parent.unique]
        common_fks = [
            fk for fk in children[0].foreign_keys if all(fk in c.foreign_keys for c in children)
        ]
        parent.foreign_keys += [fk for fk in common_fks if fk not in parent.foreign_keys]


class _PgSession:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def fetch(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        # One table's statements share a read-only transaction (one snapshot); a failed
        # statement ends it, so the next one starts a fresh one.
        try:
            result = self._connection.exec_driver_sql(sql, dict(params) or None)
            return [tuple(row) for row in result.all()]
        except SQLAlchemyError as exc:
            self._connection.rollback()
            raise _engine_error(exc) from exc

    def fetch_many(
        self, statements: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> list[Rows | EngineError]:
        """The statements in one pipeline (psycopg's pipeline mode): sent together, one
        round trip for all, each still its own statement under ``statement_timeout`` (per
        statement in a pipeline, PostgreSQL 13+) with the same parameters, types and rows
        as ``fetch``. The server skips what follows a failed statement: the answers up to
        it, then its error."""
        if len(statements) < 2:
            return fetch_each(self, statements)
        try:
            if not self._connection.in_transaction():
                self._connection.begin()  # as fetch does (autobegin): rolled back at close
            driver = self._connection.connection.driver_connection
        except SQLAlchemyError as exc:
            raise _engine_error(exc) from exc
        if not isinstance(driver, psycopg.Connection):  # not psycopg 3: one at a time
            return fetch_each(self, statements)
        cursors: list[psycopg.Cursor[Any]] = []
        failure: psycopg.Error | None = None
        try:
            with driver.pipeline():
                for sql, params in statements:
                    raw = _raw_query(sql) if params else None
                    cursor: psycopg.Cursor[Any]
                    if raw is not None and all(name in params for name in raw[1]):
                        cursor = psycopg.RawCursor(driver)
                        cursor.execute(raw[0], [params[name] for name in raw[1]])
                    else:
                        cursor = driver.cursor()
                        cursor.execute(sql, dict(params) or None)
                    cursors.append(cursor)
        except psycopg.Error as exc:
            failure = exc
        results: list[Rows | EngineError] = []
        for cursor in cursors:
            answer = cursor.pgresult
            if answer is None or answer.status != psycopg.pq.ExecStatus.TUPLES_OK:
                break
            results.append([tuple(row) for row in cursor.fetchall()])
        if failure is None and len(results) == len(statements):
            return results
        error = _driver_error(failure or psycopg.InterfaceError("no answer"))
        try:
            self._connection.rollback()
        except SQLAlchemyError:
            error.unavailable = True
        if len(results) == len(statements):  # every answer read, then an error: trust none
            raise error
        results.append(error)
        return results

    def stream(
        self, sql: str, params: Mapping[str, Any], batch: int
    ) -> Iterator[Sequence[tuple[Any, ...]]]:
        try:
            result = self._connection.exec_driver_sql(
                sql,
                dict(params) or None,
                execution_options={"stream_results": True, "max_row_buffer": batch},
            )
            try:
                while rows := result.fetchmany(batch):
                    yield [tuple(row) for row in rows]
            finally:
                result.close()
        except SQLAlchemyError as exc:
            self._connection.rollback()
            raise _engine_error(exc) from exc


@functools.lru_cache(maxsize=16384)
def _raw_query(sql: str) -> tuple[str, tuple[str, ...]] | None:
    """``sql`` with its ``%(name)s`` placeholders as ``$1``, ``$2`` … (a name used twice is
    one number) and ``%%`` as ``%``, and the names in their numbers' order: what psycopg
    sends for it, converted once. psycopg parses a statement's text at every execute (its
    cache holds 128 statements; a sweep runs a scan per table): 15 % of the agent's CPU.
    None when the text has another placeholder (``%s``, ``%(name)b`` …): psycopg's way.
    """
    names: dict[str, int] = {}
    out: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(sql):
        name, style, other = match.groups()
        out.append(sql[last : match.start()])
        last = match.end()
        if other == "%":
            out.append("%")
        elif name is not None and style == "s":
            out.append(f"${names.setdefault(name, len(names) + 1)}")
        else:
            return None
    if not names:
        return None
    out.append(sql[last:])
    return "".join(out), tuple(names)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:300]


def _driver_error(exc: psycopg.Error) -> EngineError:
    """The EngineError ``_engine_error`` makes of the same error raised by psycopg itself."""
    if exc.sqlstate == _QUERY_CANCELED:
        return EngineError("timed out", timed_out=True)
    unavailable = type(exc).__name__ in ("OperationalError", "InterfaceError")
    return EngineError(_reason(exc), unavailable=unavailable)


def _engine_error(exc: SQLAlchemyError) -> EngineError:
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) == _QUERY_CANCELED:
        return EngineError("timed out", timed_out=True)
    unavailable = isinstance(exc, DBAPIError) and (
        exc.connection_invalidated or type(orig).__name__ in ("OperationalError", "InterfaceError")
    )
    return EngineError(_reason(exc), unavailable=unavailable)
