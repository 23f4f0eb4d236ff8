"""The schema delta: what a pull request does to tables and columns, with source locations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from datapact_common.contract_schema import DataType


class SchemaChangeKind(StrEnum):
    TABLE_CREATED = "table_created"
    TABLE_DROPPED = "table_dropped"
    TABLE_RENAMED = "table_renamed"
    COLUMN_ADDED = "column_added"
    COLUMN_DROPPED = "column_dropped"
    COLUMN_RENAMED = "column_renamed"
    COLUMN_TYPE_CHANGED = "column_type_changed"
    COLUMN_NULLABLE_CHANGED = "column_nullable_changed"


class SourceKind(StrEnum):
    ALEMBIC = "alembic"
    SQL = "sql"
    MODELS = "models"


@dataclass(frozen=True)
class Location:
    """Where in the pull request's head a change is written (1-based lines)."""

    path: str
    start_line: int
    end_line: int

    @classmethod
    def at(cls, path: str, line: int, end_line: int | None = None) -> Location:
        start = max(1, line)
        return cls(path, start, max(start, end_line or start))


@dataclass(frozen=True)
class ColumnSpec:
    """A column as a schema source describes it; ``data_type`` is None when not mappable."""

    name: str
    raw_type: str | None = None
    data_type: DataType | None = None
    nullable: bool = True
    primary_key: bool = False
    has_default: bool = False


@dataclass(frozen=True)
class SchemaChange:
    kind: SchemaChangeKind
    table: str
    location: Location
    source: SourceKind
    column: str | None = None
    new_name: str | None = None
    column_spec: ColumnSpec | None = None
    raw_type: str | None = None
    data_type: DataType | None = None
    nullable: bool | None = None
    columns: tuple[ColumnSpec, ...] = ()
    column_lines: tuple[int, ...] = ()

    @property
    def subject(self) -> str:
        return f"{self.table}.{self.column}" if self.column else self.table

    def describe(self) -> str:
        kind = self.kind
        if kind is SchemaChangeKind.TABLE_CREATED:
            return f"table `{self.table}` created ({len(self.columns)} column(s))"
        if kind is SchemaChangeKind.TABLE_DROPPED:
            return f"table `{self.table}` dropped"
        if kind is SchemaChangeKind.TABLE_RENAMED:
            return f"table `{self.table}` renamed to `{self.new_name}`"
        if kind is SchemaChangeKind.COLUMN_ADDED:
            spec = self.column_spec
            detail = ""
            if spec is not None:
                bits = [spec.raw_type or "unknown type"]
                if not spec.nullable:
                    bits.append("NOT NULL")
                if spec.has_default:
                    bits.append("with default")
                detail = f" ({', '.join(bits)})"
            return f"column `{self.subject}` added{detail}"
        if kind is SchemaChangeKind.COLUMN_DROPPED:
            return f"column `{self.subject}` dropped"
        if kind is SchemaChangeKind.COLUMN_RENAMED:
            return f"column `{self.subject}` renamed to `{self.new_name}`"
        if kind is SchemaChangeKind.COLUMN_TYPE_CHANGED:
            return f"column `{self.subject}` type changed to {self.raw_type or 'unknown type'}"
        state = "NULL allowed" if self.nullable else "NOT NULL"
        return f"column `{self.subject}` changed to {state}"


@dataclass
class FileProblem:
    """A schema or contract file that could not be (fully) read; reported, never fatal."""

    path: str
    line: int
    message: str


@dataclass
class SchemaDelta:
    changes: list[SchemaChange] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def extend(self, other: SchemaDelta) -> None:
        self.changes.extend(other.changes)
        self.problems.extend(other.problems)
        self.files.extend(other.files)


def table_key(name: str) -> str:
    """Compare table names without quotes, case or the schema prefix (``public.orders``)."""
    return name.strip().strip('"').rsplit(".", 1)[-1].strip('"').lower()


def same_table(a: str, b: str) -> bool:
    if table_key(a) != table_key(b):
        return False
    schema_a = a.rsplit(".", 1)[0].lower() if "." in a else None
    schema_b = b.rsplit(".", 1)[0].lower() if "." in b else None
    return schema_a is None or schema_b is None or schema_a == schema_b


# Contract data types that a consumer cannot tell apart.
_EQUIVALENT: dict[DataType, frozenset[DataType]] = {
    DataType.DATETIME: frozenset({DataType.DATETIME, DataType.TIMESTAMP}),
    DataType.TIMESTAMP: frozenset({DataType.DATETIME, DataType.TIMESTAMP}),
}


def types_compatible(schema_type: DataType, contract_type: DataType) -> bool:
    return contract_type in _EQUIVALENT.get(schema_type, frozenset({schema_type}))
