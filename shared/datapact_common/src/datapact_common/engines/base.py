"""What every engine gives its users: its catalogue, and a way to run one statement.

An engine reads its own catalogue (PostgreSQL's ``pg_catalog``, MySQL's
``information_schema``, DuckDB's ``duckdb_columns()``) into the engine-neutral
:class:`TableInfo` below, and runs statements built with sqlglot for its dialect (the data
agent's checks). Every call is synchronous: the data agent runs them in a bounded thread
pool, never on the event loop; ``datapact init`` reads the catalogue to draft contracts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class Kind(StrEnum):
    """What the checks may do with a column's values."""

    NUMBER = "number"
    TEXT = "text"
    ENUM = "enum"
    BOOLEAN = "boolean"
    TEMPORAL = "temporal"
    UUID = "uuid"
    BINARY = "binary"
    JSON = "json"  # compared as text (PostgreSQL's json has no equality)
    ARRAY = "array"
    COMPARABLE = "comparable"  # has equality, nothing more (tsvector, interval, inet ...)
    OTHER = "other"  # no equality the agent can rely on (point, xml, ...)


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str  # as the engine names it: character varying(255), mpaa_rating, year, BLOB
    base_type: str  # what it is compared as: a domain's base, 'enum', PostgreSQL spelling
    kind: Kind
    nullable: bool
    default: str | None = None
    enum_values: tuple[str, ...] | None = None
    generated: str | None = None  # the expression of a generated column
    comment: str | None = None  # the column's comment (read with ``details``)


@dataclass(frozen=True)
class CheckInfo:
    """A CHECK constraint as the engine writes it back (read with ``details``).

    ``sql`` is the condition in the engine's dialect, e.g. ``(price >= (0)::numeric)``. For a
    check of a column's domain ``column`` names the column, and ``VALUE`` in ``sql`` means it.
    """

    sql: str
    columns: tuple[str, ...] = ()
    name: str | None = None
    column: str | None = None
    validated: bool = True  # False: declared NOT VALID, existing rows were never checked


@dataclass(frozen=True)
class ForeignKeyInfo:
    columns: tuple[str, ...]
    references: str  # 'table.column' or 'table.(a, b)'


@dataclass
class TableInfo:
    name: str  # 'table' in the default schema, 'schema.table' elsewhere
    columns: dict[str, ColumnInfo]
    kind: str = "table"  # table, view, partitioned table, materialized view, file
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[ForeignKeyInfo] = field(default_factory=list)
    unique: list[list[str]] = field(default_factory=list)
    partition_of: str | None = None
    # PostgreSQL: other tables inherit from it or once did (``relhassubclass``); reading it
    # reads their rows too, which its own keys do not constrain.
    has_children: bool = False
    comment: str | None = None  # read with ``details``
    checks: list[CheckInfo] = field(default_factory=list)  # read with ``details``


class EngineError(Exception):
    """A statement failed; ``timed_out`` when the statement timeout stopped it."""

    def __init__(self, message: str, *, timed_out: bool = False, unavailable: bool = False):
        super().__init__(message)
        self.timed_out = timed_out
        self.unavailable = unavailable


Rows = list[tuple[Any, ...]]


class Session(Protocol):
    """One connection, used by one thread for one table's statements."""

    def fetch(self, sql: str, params: Mapping[str, Any]) -> Rows:
        """Run a statement (its timeout applies) and return every row."""

    def fetch_many(
        self, statements: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> list[Rows | EngineError]:
        """Run several statements, in one round trip where the engine can (PostgreSQL's
        pipeline mode), each under its own timeout: the rows of each, in order. The first
        statement that fails is its EngineError and ends the list: those after it are not
        run (the caller runs them again, as it would have one by one)."""

    def stream(
        self, sql: str, params: Mapping[str, Any], batch: int
    ) -> Iterator[Sequence[tuple[Any, ...]]]:
        """Run a statement and yield its rows in batches, so the caller can stop early."""


def fetch_each(
    session: Session, statements: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[Rows | EngineError]:
    """``Session.fetch_many`` one statement after the other (engines without pipelines)."""
    results: list[Rows | EngineError] = []
    for sql, params in statements:
        try:
            results.append(session.fetch(sql, params))
        except EngineError as exc:
            results.append(exc)
            break
    return results


class Engine(ABC):
    """One database: its sqlglot dialect, its catalogue, sessions on it."""

    name: str  # postgresql, mysql, duckdb
    dialect: str  # the sqlglot dialect the statements are rendered for
    # How a named parameter is written in this engine's statements.
    placeholder: str = "%({name})s"

    @abstractmethod
    def session(self) -> AbstractContextManager[Session]:
        """A connection for one unit of work (raises EngineError when unavailable)."""

    @abstractmethod
    def catalogue(self, schemas: Sequence[str], *, details: bool = False) -> dict[str, TableInfo]:
        """Every table and view of the default schema plus ``schemas`` (named qualified).

        ``details`` also reads what only a description of the schema needs (comments and
        CHECK constraints); the checks never ask for it."""

    @abstractmethod
    def ping(self) -> None:
        """``SELECT 1``; raises EngineError when the database does not answer."""

    # The schema the catalogue names tables of without qualifying them.
    current_schema_sql: str = "SELECT current_schema()"

    def current_schema(self) -> str:
        """The default schema's name (PostgreSQL ``public``, MySQL the URL's database)."""
        with self.session() as session:
            rows = session.fetch(self.current_schema_sql, {})
        return str(rows[0][0]) if rows and rows[0][0] is not None else ""

    def close(self) -> None:  # noqa: B027 - most engines hold nothing to close
        """Release connections."""
