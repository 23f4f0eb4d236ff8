"""MySQL 8 and MariaDB 10.6+ through PyMySQL (sync), pooled by SQLAlchemy.

The catalogue comes from ``information_schema`` in two statements (two more read comments
and CHECK constraints when asked: ``details``). Each session runs with
UTC as its time zone (so ``TIMESTAMP`` columns and ``CURRENT_TIMESTAMP`` are UTC, and a
``DATETIME`` counts as UTC), a read-only transaction mode, and a statement timeout
(MariaDB ``max_statement_time``, MySQL ``max_execution_time``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from datapact_common.engines.base import (
    CheckInfo,
    ColumnInfo,
    Engine,
    EngineError,
    ForeignKeyInfo,
    Rows,
    Session,
    TableInfo,
    fetch_each,
)
from datapact_common.engines.types import describe_mysql_type

# ER_STATEMENT_TIMEOUT (MariaDB), ER_QUERY_TIMEOUT (MySQL), ER_QUERY_INTERRUPTED
_TIMEOUT_CODES = {1969, 3024, 1317}

_COLUMNS = text(
    """
    SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE,
           c.IS_NULLABLE, c.COLUMN_DEFAULT, c.EXTRA, c.GENERATION_EXPRESSION, t.TABLE_TYPE,
           c.TABLE_SCHEMA = DATABASE() AS in_default
    FROM information_schema.COLUMNS c
    JOIN information_schema.TABLES t
      ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
    WHERE c.TABLE_SCHEMA = DATABASE() OR c.TABLE_SCHEMA IN :schemas
    ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION
    """
).bindparams(bindparam("schemas", expanding=True))

_CONSTRAINTS = text(
    """
    SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.TABLE_SCHEMA = DATABASE() AS in_default,
           tc.CONSTRAINT_TYPE, k.CONSTRAINT_NAME, k.COLUMN_NAME,
           k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,
           k.REFERENCED_TABLE_SCHEMA = DATABASE() AS ref_in_default
    FROM information_schema.KEY_COLUMN_USAGE k
    JOIN information_schema.TABLE_CONSTRAINTS tc
      ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND tc.TABLE_NAME = k.TABLE_NAME
     AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
    WHERE (k.TABLE_SCHEMA = DATABASE() OR k.TABLE_SCHEMA IN :schemas)
      AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
    ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
    """
).bindparams(bindparam("schemas", expanding=True))

# What only a description of the schema needs (``details``): comments, and CHECK constraints.
_COMMENTS = text(
    """
    SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.TABLE_SCHEMA = DATABASE() AS in_default,
           c.COLUMN_NAME, c.COLUMN_COMMENT AS body
    FROM information_schema.COLUMNS c
    WHERE (c.TABLE_SCHEMA = DATABASE() OR c.TABLE_SCHEMA IN :schemas) AND c.COLUMN_COMMENT <> ''
    UNION ALL
    SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_SCHEMA = DATABASE(), NULL, t.TABLE_COMMENT
    FROM information_schema.TABLES t
    WHERE (t.TABLE_SCHEMA = DATABASE() OR t.TABLE_SCHEMA IN :schemas)
      AND t.TABLE_COMMENT <> '' AND t.TABLE_TYPE <> 'VIEW'
    """
).bindparams(bindparam("schemas", expanding=True))
# MariaDB names a column-level check after its column, so its names repeat across tables:
# CHECK_CONSTRAINTS has a TABLE_NAME there. MySQL's check names are unique per schema.
_CHECKS_MARIADB = text(
    """
    SELECT cc.CONSTRAINT_SCHEMA, cc.TABLE_NAME, cc.CONSTRAINT_SCHEMA = DATABASE() AS in_default,
           cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
    FROM information_schema.CHECK_CONSTRAINTS cc
    WHERE cc.CONSTRAINT_SCHEMA = DATABASE() OR cc.CONSTRAINT_SCHEMA IN :schemas
    ORDER BY 1, 2, 4
    """
).bindparams(bindparam("schemas", expanding=True))
_CHECKS_MYSQL = text(
    """
    SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.TABLE_SCHEMA = DATABASE() AS in_default,
           tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
    FROM information_schema.TABLE_CONSTRAINTS tc
    JOIN information_schema.CHECK_CONSTRAINTS cc
      ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
    WHERE tc.CONSTRAINT_TYPE = 'CHECK'
      AND (tc.TABLE_SCHEMA = DATABASE() OR tc.TABLE_SCHEMA IN :schemas)
    ORDER BY 1, 2, 4
    """
).bindparams(bindparam("schemas", expanding=True))


def _qualified(schema: str, table: str, in_default: Any) -> str:
    return table if in_default else f"{schema}.{table}"


class MySQLEngine(Engine):
    name = "mysql"
    dialect = "mysql"
    placeholder = "%({name})s"
    current_schema_sql = "SELECT DATABASE()"

    def __init__(self, url: str, *, pool_size: int, timeout_seconds: float) -> None:
        self._engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=0,
            pool_pre_ping=True,
            pool_recycle=3600,
            connect_args={"connect_timeout": max(1, int(timeout_seconds)), "charset": "utf8mb4"},
        )
        timeout = float(timeout_seconds)

        @event.listens_for(self._engine, "connect")
        def _session_settings(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET time_zone = '+00:00'")
                cursor.execute("SET SESSION TRANSACTION READ ONLY")
                try:  # MariaDB: seconds, every statement
                    cursor.execute("SET SESSION max_statement_time = %s", (timeout,))
                except Exception:
                    cursor.execute("SET SESSION max_execution_time = %s", (int(timeout * 1000),))

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            connection = self._engine.connect()
        except SQLAlchemyError as exc:
            raise EngineError(f"cannot connect: {_reason(exc)}", unavailable=True) from exc
        try:
            yield _MySQLSession(connection)
        finally:
            connection.close()

    def ping(self) -> None:
        with self.session() as session:
            session.fetch("SELECT 1", {})

    def catalogue(self, schemas: Sequence[str], *, details: bool = False) -> dict[str, TableInfo]:
        params = {"schemas": list(schemas) or [""]}
        comments: Sequence[Any] = ()
        checks: Sequence[Any] = ()
        try:
            with self._engine.connect() as connection:
                columns = connection.execute(_COLUMNS, params).all()
                constraints = connection.execute(_CONSTRAINTS, params).all()
                if details:
                    comments = connection.execute(_COMMENTS, params).all()
                    version = str(connection.execute(text("SELECT VERSION()")).scalar())
                    query = _CHECKS_MARIADB if "mariadb" in version.lower() else _CHECKS_MYSQL
                    checks = connection.execute(query, params).all()
        except SQLAlchemyError as exc:
            raise _engine_error(exc) from exc
        tables: dict[str, TableInfo] = {}
        for row in columns:
            schema, table, column, data_type, column_type = row[:5]
            name = _qualified(schema, table, row.in_default)
            kind = "view" if row.TABLE_TYPE == "VIEW" else "table"
            info = tables.setdefault(name, TableInfo(name=name, columns={}, kind=kind))
            base, column_kind, labels = describe_mysql_type(data_type, column_type)
            generated = row.GENERATION_EXPRESSION or None
            info.columns[column] = ColumnInfo(
                name=column,
                type=column_type,
                base_type=base,
                kind=column_kind,
                nullable=row.IS_NULLABLE == "YES",
                default=(
                    f"GENERATED ALWAYS AS ({generated})"
                    if generated
                    else None
                    if row.COLUMN_DEFAULT in (None, "NULL")
                    else str(row.COLUMN_DEFAULT)
                ),
                enum_values=labels,
                generated=generated,
            )
        _add_constraints(tables, constraints)
        _add_details(tables, comments, checks)
        return tables

    def close(self) -> None:
        self._engine.dispose()


def _add_constraints(tables: dict[str, TableInfo], rows: Sequence[Any]) -> None:
    grouped: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        grouped.setdefault((_qualified(row[0], row[1], row[2]), row.CONSTRAINT_NAME), []).append(
            row
        )
    for (table_name, _), parts in grouped.items():
        info = tables.get(table_name)
        if info is None:
            continue
        columns = [p.COLUMN_NAME for p in parts]
        kind = parts[0].CONSTRAINT_TYPE
        if kind == "PRIMARY KEY":
            info.primary_key = columns
        elif kind == "UNIQUE":
            if columns not in info.unique:
                info.unique.append(columns)
        else:
            first = parts[0]
            target = _qualified(
                first.REFERENCED_TABLE_SCHEMA, first.REFERENCED_TABLE_NAME, first.ref_in_default
            )
            refs = [p.REFERENCED_COLUMN_NAME for p in parts]
            shown = refs[0] if len(refs) == 1 else f"({', '.join(refs)})"
            info.foreign_keys.append(ForeignKeyInfo(tuple(columns), f"{target}.{shown}"))


def _add_details(
    tables: dict[str, TableInfo], comments: Sequence[Any], checks: Sequence[Any]
) -> None:
    for schema, table, in_default, column, body in comments:
        info = tables.get(_qualified(schema, table, in_default))
        if info is None:
            continue
        if column is None:
            info.comment = body
        elif column in info.columns:
            info.columns[column] = replace(info.columns[column], comment=body)
    for schema, table, in_default, name, clause in checks:
        info = tables.get(_qualified(schema, table, in_default))
        if info is not None:
            info.checks.append(CheckInfo(sql=clause, name=name))


class _MySQLSession:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def fetch(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        try:
            result = self._connection.exec_driver_sql(sql, dict(params) if params else ())
            return [tuple(row) for row in result.all()]
        except SQLAlchemyError as exc:
            self._connection.rollback()
            raise _engine_error(exc) from exc

    def fetch_many(
        self, statements: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> list[Rows | EngineError]:
        return fetch_each(self, statements)

    def stream(
        self, sql: str, params: Mapping[str, Any], batch: int
    ) -> Iterator[Sequence[tuple[Any, ...]]]:
        try:
            result = self._connection.exec_driver_sql(
                sql,
                dict(params) if params else (),
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


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    args: tuple[Any, ...] = tuple(getattr(orig, "args", ()))
    if len(args) >= 2 and isinstance(args[1], str):
        return args[1][:300]
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:300]


def _engine_error(exc: SQLAlchemyError) -> EngineError:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "args", (None,))[0] if orig is not None else None
    if code in _TIMEOUT_CODES:
        return EngineError("timed out", timed_out=True)
    unavailable = isinstance(exc, DBAPIError) and (
        exc.connection_invalidated or type(orig).__name__ in ("OperationalError", "InterfaceError")
    )
    if unavailable and isinstance(code, int) and code < 2000 and code not in (1045, 1049):
        unavailable = False  # a server error about the statement, not the connection
    return EngineError(_reason(exc), unavailable=unavailable)
