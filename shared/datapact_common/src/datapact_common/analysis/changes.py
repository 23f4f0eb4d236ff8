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
    PRIMARY_KEY_ADDED = "primary_key_added"
    PRIMARY_KEY_DROPPED = "primary_key_dropped"
    UNIQUE_ADDED = "unique_added"
    UNIQUE_DROPPED = "unique_dropped"
    INDEX_CREATED = "index_created"
    INDEX_DROPPED = "index_dropped"
    CONSTRAINT_DROPPED = "constraint_dropped"  # a constraint of a kind the name does not tell
    ENUM_VALUE_ADDED = "enum_value_added"  # ``table`` is the enum type's name


# Changes to keys, unique constraints and indexes: ``constraint`` names them, ``key_columns``
# lists their columns when the source says (a drop by name does not).
CONSTRAINT_KINDS = frozenset(
    {
        SchemaChangeKind.PRIMARY_KEY_ADDED,
        SchemaChangeKind.PRIMARY_KEY_DROPPED,
        SchemaChangeKind.UNIQUE_ADDED,
        SchemaChangeKind.UNIQUE_DROPPED,
        SchemaChangeKind.INDEX_CREATED,
        SchemaChangeKind.INDEX_DROPPED,
        SchemaChangeKind.CONSTRAINT_DROPPED,
    }
)


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
    # False when the source's definition of the column could not be read (its name could):
    # its type and nullability are then unknown and never judged.
    understood: bool = True


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
    constraint: str | None = None
    key_columns: tuple[str, ...] = ()
    value: str | None = None  # the label an enum type gains
    # Unique constraints a created table declares: (name or None, columns).
    uniques: tuple[tuple[str | None, tuple[str, ...]], ...] = ()

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
        if kind is SchemaChangeKind.COLUMN_NULLABLE_CHANGED:
            state = "NULL allowed" if self.nullable else "NOT NULL"
            return f"column `{self.subject}` changed to {state}"
        if kind is SchemaChangeKind.ENUM_VALUE_ADDED:
            return f"enum type `{self.table}` gains value '{self.value}'"
        return self._describe_constraint()

    def _describe_constraint(self) -> str:
        what = {
            SchemaChangeKind.PRIMARY_KEY_ADDED: "primary key added",
            SchemaChangeKind.PRIMARY_KEY_DROPPED: "primary key dropped",
            SchemaChangeKind.UNIQUE_ADDED: "unique constraint added",
            SchemaChangeKind.UNIQUE_DROPPED: "unique constraint dropped",
            SchemaChangeKind.INDEX_CREATED: "index created",
            SchemaChangeKind.INDEX_DROPPED: "index dropped",
            SchemaChangeKind.CONSTRAINT_DROPPED: "constraint dropped",
        }[self.kind]
        name = f" `{self.constraint}`" if self.constraint else ""
        columns = f" ({', '.join(self.key_columns)})" if self.key_columns else ""
        return f"table `{self.table}`: {what}{name}{columns}"


@dataclass
class FileProblem:
    """A schema or contract file that could not be (fully) read; reported, never fatal.

    ``table`` names the table the unread part concerns, when that much could be read.
    ``unread_change`` is True when the part may change the schema (a statement of a new
    migration, a definition that differs from the base's): the verdict can then not be
    ``success``. ``statement`` is the part's normalised text, to compare base with head.
    """

    path: str
    line: int
    message: str
    table: str | None = None
    unread_change: bool = True
    statement: str | None = None


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
