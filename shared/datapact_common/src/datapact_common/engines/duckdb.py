"""DuckDB: a ``.duckdb`` file, or Parquet and CSV files served as tables.

``duckdb:///path`` names

- a DuckDB database file: opened read-only;
- a ``.parquet``, ``.csv``, ``.tsv`` file (also ``.csv.gz``): one table named after the file
  (``orders.parquet`` → ``orders``);
- a folder: one table per such file in it, and one per sub-folder holding Parquet files
  (``orders/part-0.parquet``, ``orders/part-1.parquet`` → ``orders``, read as one dataset).

Files become views of an in-memory database (``read_parquet`` / ``read_csv`` with DuckDB's
type detection); a file added later needs a restart. DuckDB has no statement timeout: the
agent interrupts a statement that runs longer than ``AGENT_QUERY_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

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
from datapact_common.engines.types import describe_duckdb_type

logger = logging.getLogger(__name__)

FILE_READERS = {
    ".parquet": "read_parquet",
    ".csv": "read_csv",
    ".tsv": "read_csv",
    ".gz": "read_csv",  # .csv.gz / .tsv.gz
}
_VIEW_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")

_COLUMNS = """
    SELECT c.schema_name, c.table_name, c.column_name, c.data_type, c.is_nullable,
           c.column_default, c.schema_name = current_schema() AS in_default,
           v.view_name IS NOT NULL AS is_view
    FROM duckdb_columns() c
    LEFT JOIN duckdb_views() v
      ON v.database_name = c.database_name AND v.schema_name = c.schema_name
     AND v.view_name = c.table_name
    WHERE NOT c.internal AND c.database_name = current_database()
    ORDER BY c.schema_name, c.table_name, c.column_index
"""
_CONSTRAINTS = """
    SELECT schema_name, table_name, schema_name = current_schema() AS in_default,
           constraint_type, constraint_column_names, referenced_table,
           referenced_column_names
    FROM duckdb_constraints()
    WHERE database_name = current_database()
      AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
"""
# What only a description of the schema needs (``details``): comments, and CHECK constraints.
_COMMENTS = """
    SELECT schema_name, table_name, schema_name = current_schema(), column_name, comment
    FROM duckdb_columns()
    WHERE database_name = current_database() AND NOT internal AND comment IS NOT NULL
    UNION ALL
    SELECT schema_name, table_name, schema_name = current_schema(), NULL, comment
    FROM duckdb_tables()
    WHERE database_name = current_database() AND NOT internal AND comment IS NOT NULL
    UNION ALL
    SELECT schema_name, view_name, schema_name = current_schema(), NULL, comment
    FROM duckdb_views()
    WHERE database_name = current_database() AND NOT internal AND comment IS NOT NULL
"""
_CHECKS = """
    SELECT schema_name, table_name, schema_name = current_schema(), constraint_name,
           expression, constraint_column_names
    FROM duckdb_constraints()
    WHERE database_name = current_database() AND constraint_type = 'CHECK'
    ORDER BY constraint_index
"""


def _qualified(schema: str, table: str, in_default: bool) -> str:
    return table if in_default else f"{schema}.{table}"


def _dataset_files(path: Path) -> dict[str, tuple[str, str]]:
    """View name → (reader, file or glob) for a data file or a folder of them."""
    found: dict[str, tuple[str, str]] = {}
    candidates = [path] if path.is_file() else sorted(path.iterdir())
    for item in candidates:
        if item.is_dir():
            if any(item.glob("*.parquet")):
                found.setdefault(item.name, ("read_parquet", str(item / "*.parquet")))
            continue
        reader = FILE_READERS.get(item.suffix.lower())
        if reader is None:
            continue
        stem = item.name.split(".", 1)[0]
        if not _VIEW_NAME.match(stem):
            logger.warning("skipping %s: %r is not a table name", item, stem)
            continue
        found.setdefault(stem, (reader, str(item)))
    return found


def is_data_path(path: Path) -> bool:
    """True for data files (or a folder of them), False for a DuckDB database file."""
    return path.is_dir() or path.suffix.lower() in FILE_READERS


class DuckDBEngine(Engine):
    name = "duckdb"
    dialect = "duckdb"
    placeholder = "${name}"

    def __init__(self, path: str, *, timeout_seconds: float) -> None:
        if not path:
            raise ValueError("duckdb:/// needs a path: a .duckdb file, a data file or a folder")
        self.path = Path(path)
        self.timeout_seconds = timeout_seconds
        self._lock = threading.Lock()
        self._base: duckdb.DuckDBPyConnection | None = None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._base is None:
                self._base = self._open()
            return self._base

    def _open(self) -> duckdb.DuckDBPyConnection:
        if not self.path.exists():
            raise EngineError(f"cannot open {self.path}: no such file or folder", unavailable=True)
        try:
            if not is_data_path(self.path):
                return duckdb.connect(str(self.path), read_only=True)
            connection = duckdb.connect(":memory:")
            for view, (reader, source) in _dataset_files(self.path).items():
                statement = exp.Create(
                    this=exp.Table(this=exp.to_identifier(view, quoted=True)),
                    kind="VIEW",
                    expression=exp.select(exp.Star()).from_(
                        exp.Anonymous(this=reader, expressions=[exp.Literal.string(source)])
                    ),
                )
                connection.execute(statement.sql(dialect="duckdb"))
            return connection
        except duckdb.Error as exc:
            raise EngineError(f"cannot open {self.path}: {exc}", unavailable=True) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        cursor = self._connection().cursor()
        try:
            yield _DuckSession(cursor, self.timeout_seconds)
        finally:
            cursor.close()

    def ping(self) -> None:
        with self.session() as session:
            session.fetch("SELECT 1", {})

    def catalogue(self, schemas: Sequence[str], *, details: bool = False) -> dict[str, TableInfo]:
        with self.session() as session:
            columns = session.fetch(_COLUMNS, {})
            constraints = session.fetch(_CONSTRAINTS, {})
            comments = session.fetch(_COMMENTS, {}) if details else []
            checks = session.fetch(_CHECKS, {}) if details else []
        kind = "file" if is_data_path(self.path) else "table"
        tables: dict[str, TableInfo] = {}
        for schema, table, column, duck_type, nullable, default, in_default, is_view in columns:
            if not in_default and schema not in schemas:
                continue
            name = _qualified(schema, table, in_default)
            info = tables.setdefault(
                name, TableInfo(name=name, columns={}, kind="view" if is_view else "table")
            )
            if is_view and kind == "file":
                info.kind = "file"
            base, column_kind, labels = describe_duckdb_type(duck_type)
            info.columns[column] = ColumnInfo(
                name=column,
                type=duck_type,
                base_type=base,
                kind=column_kind,
                nullable=bool(nullable),
                default=default,
                enum_values=labels,
            )
        for schema, table, in_default, ctype, names, ref_table, ref_names in constraints:
            owner = tables.get(_qualified(schema, table, in_default))
            if owner is None:
                continue
            info = owner
            if ctype == "PRIMARY KEY":
                info.primary_key = list(names)
            elif ctype == "UNIQUE":
                if list(names) not in info.unique:
                    info.unique.append(list(names))
            else:
                refs = list(ref_names)
                shown = refs[0] if len(refs) == 1 else f"({', '.join(refs)})"
                target = ref_table if in_default else f"{schema}.{ref_table}"
                info.foreign_keys.append(ForeignKeyInfo(tuple(names), f"{target}.{shown}"))
        for schema, table, in_default, column, body in comments:
            owner = tables.get(_qualified(schema, table, in_default))
            if owner is None:
                continue
            if column is None:
                owner.comment = body
            elif column in owner.columns:
                owner.columns[column] = replace(owner.columns[column], comment=body)
        for schema, table, in_default, name, expression, names in checks:
            owner = tables.get(_qualified(schema, table, in_default))
            if owner is not None:
                owner.checks.append(CheckInfo(sql=expression, columns=tuple(names), name=name))
        return tables

    def close(self) -> None:
        with self._lock:
            if self._base is not None:
                self._base.close()
                self._base = None


class _DuckSession:
    def __init__(self, cursor: duckdb.DuckDBPyConnection, timeout_seconds: float) -> None:
        self._cursor = cursor
        self._timeout = timeout_seconds

    @contextmanager
    def _deadline(self) -> Iterator[threading.Event]:
        fired = threading.Event()

        def interrupt() -> None:
            fired.set()
            self._cursor.interrupt()

        timer = threading.Timer(self._timeout, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield fired
        finally:
            timer.cancel()

    def fetch(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        with self._deadline() as fired:
            try:
                return [tuple(r) for r in self._cursor.execute(sql, dict(params)).fetchall()]
            except duckdb.Error as exc:
                raise _error(exc, fired.is_set()) from exc

    def fetch_many(
        self, statements: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> list[Rows | EngineError]:
        return fetch_each(self, statements)

    def stream(
        self, sql: str, params: Mapping[str, Any], batch: int
    ) -> Iterator[Sequence[tuple[Any, ...]]]:
        with self._deadline() as fired:
            try:
                result = self._cursor.execute(sql, dict(params))
                while rows := result.fetchmany(batch):
                    yield [tuple(r) for r in rows]
            except duckdb.Error as exc:
                raise _error(exc, fired.is_set()) from exc


def _error(exc: duckdb.Error, interrupted: bool) -> EngineError:
    if interrupted or isinstance(exc, duckdb.InterruptException):
        return EngineError("timed out", timed_out=True)
    message = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    return EngineError(message)
