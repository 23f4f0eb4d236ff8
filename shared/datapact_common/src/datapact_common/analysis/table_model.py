"""Declarative table definitions (a ``schema.sql`` or SQLAlchemy models) and their diff."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from datapact_common.analysis.changes import (
    ColumnSpec,
    Location,
    SchemaChange,
    SchemaChangeKind,
    SourceKind,
    table_key,
)


@dataclass
class ColumnDef:
    spec: ColumnSpec
    line: int


@dataclass
class TableDef:
    name: str
    line: int
    columns: dict[str, ColumnDef] = field(default_factory=dict)
    primary_key_name: str | None = None
    # Unique constraints and unique indexes, and plain indexes: by name, their columns.
    uniques: dict[str, tuple[str, ...]] = field(default_factory=dict)
    indexes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def column(self, name: str) -> ColumnDef | None:
        return self.columns.get(name.lower())

    def add(self, spec: ColumnSpec, line: int) -> None:
        self.columns[spec.name.lower()] = ColumnDef(spec, line)

    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.spec.name for c in self.columns.values() if c.spec.primary_key)

    def set_primary_key(self, columns: tuple[str, ...], name: str | None) -> None:
        wanted = {c.lower() for c in columns}
        for key, column in self.columns.items():
            spec = column.spec
            is_key = key in wanted
            if spec.primary_key != is_key:
                nullable = False if is_key else spec.nullable
                column.spec = replace(spec, primary_key=is_key, nullable=nullable)
        self.primary_key_name = name if wanted else None

    def drop_constraint(self, name: str, kind: SchemaChangeKind) -> None:
        lowered = name.lower()
        if (self.primary_key_name and self.primary_key_name.lower() == lowered) or (
            self.primary_key_name is None and kind is SchemaChangeKind.PRIMARY_KEY_DROPPED
        ):
            self.set_primary_key((), None)
        for catalogue in (self.uniques, self.indexes):
            for existing in [k for k in catalogue if k.lower() == lowered]:
                del catalogue[existing]


Tables = dict[str, TableDef]


def diff_tables(base: Tables, head: Tables, path: str, source: SourceKind) -> list[SchemaChange]:
    """What changed from ``base`` to ``head``, located at ``head``'s lines.

    Something that disappeared is located at its table's line in ``head`` (or line 1 when the
    whole table is gone), because annotations can only point into the head revision.
    """
    changes: list[SchemaChange] = []
    base_by_key = {table_key(t.name): t for t in base.values()}
    head_by_key = {table_key(t.name): t for t in head.values()}
    for key, old in base_by_key.items():
        if key not in head_by_key:
            changes.append(
                SchemaChange(SchemaChangeKind.TABLE_DROPPED, old.name, Location.at(path, 1), source)
            )
    for key, new in head_by_key.items():
        old_table = base_by_key.get(key)
        if old_table is None:
            changes.append(
                SchemaChange(
                    SchemaChangeKind.TABLE_CREATED,
                    new.name,
                    Location.at(path, new.line),
                    source,
                    columns=tuple(c.spec for c in new.columns.values()),
                )
            )
            continue
        changes.extend(_diff_columns(old_table, new, path, source))
        changes.extend(_diff_keys(old_table, new, path, source))
    return changes


def _diff_keys(old: TableDef, new: TableDef, path: str, source: SourceKind) -> list[SchemaChange]:
    """Primary key, unique constraints (compared by their columns) and indexes (by name)."""
    where = Location.at(path, new.line)
    changes: list[SchemaChange] = []

    def emit(kind: SchemaChangeKind, name: str | None, columns: tuple[str, ...]) -> None:
        changes.append(
            SchemaChange(kind, new.name, where, source, constraint=name, key_columns=columns)
        )

    before_pk, after_pk = old.primary_key(), new.primary_key()
    if _lowered(before_pk) != _lowered(after_pk):
        if before_pk:
            emit(SchemaChangeKind.PRIMARY_KEY_DROPPED, old.primary_key_name, before_pk)
        if after_pk:
            emit(SchemaChangeKind.PRIMARY_KEY_ADDED, new.primary_key_name, after_pk)
    before_uniques = {_lowered(c): n for n, c in old.uniques.items()}
    after_uniques = {_lowered(c): n for n, c in new.uniques.items()}
    for columns, name in before_uniques.items():
        if columns not in after_uniques:
            emit(SchemaChangeKind.UNIQUE_DROPPED, name, old.uniques[name])
    for columns, name in after_uniques.items():
        if columns not in before_uniques:
            emit(SchemaChangeKind.UNIQUE_ADDED, name, new.uniques[name])
    for name, index_columns in old.indexes.items():
        if name not in new.indexes:
            emit(SchemaChangeKind.INDEX_DROPPED, name, index_columns)
    for name, index_columns in new.indexes.items():
        if name not in old.indexes:
            emit(SchemaChangeKind.INDEX_CREATED, name, index_columns)
    return changes


def _lowered(columns: tuple[str, ...]) -> frozenset[str]:
    return frozenset(c.lower() for c in columns)


def apply_change(tables: Tables, change: SchemaChange) -> None:
    """Bring a declarative table model up to date with one statement's change."""
    key = change.table.lower()
    line = change.location.start_line
    kind = change.kind
    if kind is SchemaChangeKind.TABLE_CREATED:
        table = TableDef(change.table, line)
        lines = change.column_lines or (line,) * len(change.columns)
        for spec, column_line in zip(change.columns, lines, strict=True):
            table.add(spec, column_line)
        for number, (name, columns) in enumerate(change.uniques, 1):
            table.uniques[name or f"{change.table}_unique_{number}"] = columns
        tables[key] = table
        return
    if kind is SchemaChangeKind.TABLE_DROPPED:
        tables.pop(key, None)
        return
    if not change.table and change.constraint:  # DROP INDEX names no table
        for candidate in tables.values():
            candidate.drop_constraint(change.constraint, kind)
        return
    table_def = tables.get(key)
    if table_def is None:
        return
    if kind is SchemaChangeKind.TABLE_RENAMED and change.new_name:
        tables.pop(key)
        table_def.name = change.new_name
        tables[change.new_name.lower()] = table_def
    elif kind is SchemaChangeKind.COLUMN_ADDED and change.column_spec is not None:
        table_def.add(change.column_spec, line)
    elif kind in _KEY_CHANGES:
        _apply_key_change(table_def, change)
    elif change.column is not None:
        _apply_column_change(table_def, change, line)


_KEY_CHANGES = frozenset(
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


def _apply_key_change(table: TableDef, change: SchemaChange) -> None:
    kind, name, columns = change.kind, change.constraint, change.key_columns
    if kind is SchemaChangeKind.PRIMARY_KEY_ADDED:
        table.set_primary_key(columns, name)
    elif kind is SchemaChangeKind.UNIQUE_ADDED:
        table.uniques[name or f"{table.name}_unique_{len(table.uniques) + 1}"] = columns
    elif kind is SchemaChangeKind.INDEX_CREATED:
        table.indexes[name or f"{table.name}_index_{len(table.indexes) + 1}"] = columns
    elif name:
        table.drop_constraint(name, kind)


def _apply_column_change(table: TableDef, change: SchemaChange, line: int) -> None:
    assert change.column is not None
    kind = change.kind
    if kind is SchemaChangeKind.COLUMN_DROPPED:
        table.columns.pop(change.column.lower(), None)
        return
    if kind is SchemaChangeKind.COLUMN_RENAMED and change.new_name:
        existing = table.columns.pop(change.column.lower(), None)
        if existing is not None:
            table.add(replace(existing.spec, name=change.new_name), line)
        return
    column = table.column(change.column)
    if column is None:
        return
    spec = column.spec
    if kind is SchemaChangeKind.COLUMN_TYPE_CHANGED:
        spec = replace(spec, raw_type=change.raw_type, data_type=change.data_type, understood=True)
    elif kind is SchemaChangeKind.COLUMN_NULLABLE_CHANGED and change.nullable is not None:
        spec = replace(spec, nullable=change.nullable)
    table.add(spec, line)


def _diff_columns(
    old: TableDef, new: TableDef, path: str, source: SourceKind
) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    for name, before in old.columns.items():
        if name not in new.columns:
            changes.append(
                SchemaChange(
                    SchemaChangeKind.COLUMN_DROPPED,
                    new.name,
                    Location.at(path, new.line),
                    source,
                    column=before.spec.name,
                )
            )
    for name, after in new.columns.items():
        before_col = old.columns.get(name)
        where = Location.at(path, after.line)
        spec = after.spec
        if before_col is None:
            changes.append(
                SchemaChange(
                    SchemaChangeKind.COLUMN_ADDED,
                    new.name,
                    where,
                    source,
                    column=spec.name,
                    column_spec=spec,
                )
            )
            continue
        prior = before_col.spec
        if prior.understood != spec.understood:
            continue  # the definition became (un)readable: the "not checked" problem says so
        if _type_text(prior) != _type_text(spec):
            changes.append(
                SchemaChange(
                    SchemaChangeKind.COLUMN_TYPE_CHANGED,
                    new.name,
                    where,
                    source,
                    column=spec.name,
                    raw_type=spec.raw_type,
                    data_type=spec.data_type,
                )
            )
        if prior.nullable != spec.nullable:
            changes.append(
                SchemaChange(
                    SchemaChangeKind.COLUMN_NULLABLE_CHANGED,
                    new.name,
                    where,
                    source,
                    column=spec.name,
                    nullable=spec.nullable,
                )
            )
    return changes


def _type_text(spec: ColumnSpec) -> str:
    return (spec.raw_type or "").replace(" ", "").lower()
