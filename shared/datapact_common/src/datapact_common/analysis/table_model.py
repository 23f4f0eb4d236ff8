"""Declarative table definitions (a ``schema.sql`` or SQLAlchemy models) and their diff."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def column(self, name: str) -> ColumnDef | None:
        return self.columns.get(name.lower())

    def add(self, spec: ColumnSpec, line: int) -> None:
        self.columns[spec.name.lower()] = ColumnDef(spec, line)


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
    return changes


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
