"""Keys and unique constraints in SQL DDL: declared in ``CREATE TABLE``, added or dropped by
``ALTER TABLE``. A constraint dropped by name is classified by the name's convention
(PostgreSQL's ``<table>_pkey``/``<table>_<column>_key``, and the usual ``pk_``/``uq_``
prefixes); a name that tells nothing is a constraint of unknown kind."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from datapact_common.analysis.changes import Location, SchemaChange, SchemaChangeKind, SourceKind

if TYPE_CHECKING:
    from sqlglot import exp

# sqlglot is imported by the functions that read its trees (their callers parsed SQL with it
# already), not with this module: the verdict imports this module for unique_name_columns,
# and the contract API imports the verdict.

Unique = tuple[str | None, tuple[str, ...]]

_PRIMARY_NAME = re.compile(r"(?:_pkey|_pk|^pk_|^pk$|^primary$)", re.IGNORECASE)
_UNIQUE_NAME = re.compile(r"(?:_key$|^uq_|^uk_|^ux_|_uq$|_uk$|_uniq$|_unique$)", re.IGNORECASE)
_REFERENCE_OR_CHECK_NAME = re.compile(r"(?:_fkey$|^fk_|_fk$|_check$|^ck_|_ck$)", re.IGNORECASE)


def kind_of_dropped(name: str, declared: str | None = None) -> SchemaChangeKind | None:
    """What dropping constraint ``name`` removes; ``declared`` is Alembic's ``type_``.

    None for a foreign key or a check (nothing the verdict judges, like adding one).
    """
    if declared is not None:
        if declared == "primary":
            return SchemaChangeKind.PRIMARY_KEY_DROPPED
        if declared == "unique":
            return SchemaChangeKind.UNIQUE_DROPPED
        if declared in ("foreignkey", "check"):
            return None
        return SchemaChangeKind.CONSTRAINT_DROPPED
    if _REFERENCE_OR_CHECK_NAME.search(name):
        return None
    if _PRIMARY_NAME.search(name):
        return SchemaChangeKind.PRIMARY_KEY_DROPPED
    if _UNIQUE_NAME.search(name):
        return SchemaChangeKind.UNIQUE_DROPPED
    return SchemaChangeKind.CONSTRAINT_DROPPED


def unique_name_columns(
    constraint: str, table: str, columns: list[str], *, mysql_names: bool = False
) -> list[str]:
    """The ``columns`` a unique constraint's name says it covers, by the usual conventions.

    PostgreSQL names ``UNIQUE (email)`` on ``orders`` ``orders_email_key``; SQLAlchemy
    naming conventions and hand-written migrations use ``uq_orders_email``, ``uq_email``,
    ``orders_email_uq``/``_uk``/``_uniq``/``_unique``. ``table`` may be schema-qualified;
    only its last part counts. ``mysql_names``: also the column's own name, MySQL's default
    for a unique key (for an index dropped by name). Empty when the name matches none.
    """
    name = constraint.lower()
    bare = table.rsplit(".", 1)[-1].lower()
    found = []
    for column in columns:
        col = column.lower()
        spelled = {f"{bare}_{col}_key", f"uq_{bare}_{col}", f"uq_{col}", f"uk_{bare}_{col}"}
        spelled |= {col} if mysql_names else set()  # MySQL names a UNIQUE (email) key `email`
        spelled |= {f"ux_{bare}_{col}", f"{col}_key", f"{bare}_{col}_unique"}
        spelled |= {f"{bare}_{col}_{suffix}" for suffix in ("uq", "uk", "uniq")}
        if name in spelled:
            found.append(column)
    return found


def _names(node: exp.Expr | None) -> tuple[str, ...]:
    from sqlglot import exp

    if node is None:
        return ()
    if isinstance(node, exp.Schema):
        return tuple(e.name for e in node.expressions if e.name)
    return tuple(e.name for e in node.expressions if e.name)


def _key_parts(item: exp.Expr) -> tuple[str | None, list[exp.Expr]]:
    """(constraint name, its parts) of ``CONSTRAINT n PRIMARY KEY (…)`` or a bare key."""
    from sqlglot import exp

    if isinstance(item, exp.Constraint):
        return item.name or None, list(item.expressions)
    return None, [item]


def create_table_keys(items: list[exp.Expr]) -> tuple[set[str], tuple[Unique, ...]]:
    """The primary key's columns and the unique constraints a ``CREATE TABLE`` declares."""
    from sqlglot import exp

    primary: set[str] = set()
    uniques: list[Unique] = []
    for item in items:
        if isinstance(item, exp.ColumnDef):
            for constraint in item.args.get("constraints") or []:
                kind = constraint.args.get("kind")
                if isinstance(kind, exp.UniqueColumnConstraint):
                    uniques.append((constraint.name or None, (item.name,)))
            continue
        name, parts = _key_parts(item)
        for part in parts:
            if isinstance(part, exp.PrimaryKey):
                primary |= {c.lower() for c in _names(part)}
            elif isinstance(part, exp.UniqueColumnConstraint):
                uniques.append((name, _names(part.this)))
    return primary, tuple(uniques)


def alter_constraint(
    table: str, action: exp.Expr, where: Location, source: SourceKind
) -> list[SchemaChange] | None:
    """``ADD CONSTRAINT …``/``DROP CONSTRAINT …`` as changes; None when not understood."""
    from sqlglot import exp

    if isinstance(action, exp.Drop):
        kind_name = str(action.args.get("kind")).upper()
        if kind_name in ("INDEX", "KEY"):  # MySQL's ALTER TABLE … DROP INDEX|KEY name
            return [
                SchemaChange(
                    SchemaChangeKind.INDEX_DROPPED, table, where, source, constraint=t.name
                )
                for t in action.args.get("tables") or [action.this]
                if t is not None and t.name
            ]
        if kind_name != "CONSTRAINT":
            return None
        targets = [t for t in action.args.get("tables") or [action.this] if t is not None]
        dropped = [(kind_of_dropped(t.name), t.name) for t in targets if t.name]
        return [
            SchemaChange(kind, table, where, source, constraint=name)
            for kind, name in dropped
            if kind is not None
        ]
    changes: list[SchemaChange] = []
    for item in action.expressions:
        name, parts = _key_parts(item)
        for part in parts:
            if isinstance(part, exp.PrimaryKey):
                kind = SchemaChangeKind.PRIMARY_KEY_ADDED
                columns = _names(part)
            elif isinstance(part, exp.UniqueColumnConstraint):
                kind, columns = SchemaChangeKind.UNIQUE_ADDED, _names(part.this)
            elif isinstance(part, exp.ForeignKey | exp.CheckColumnConstraint):
                continue  # references and checks: nothing the verdict judges
            else:
                return None
            changes.append(
                SchemaChange(kind, table, where, source, constraint=name, key_columns=columns)
            )
    return changes
