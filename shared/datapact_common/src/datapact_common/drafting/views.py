"""The columns of a view defined in DDL, typed from the tables it reads.

A view's DDL names no column types. sqlglot qualifies the view's query against the tables
already read; a column passed through keeps its table column's type (what the database's
catalogue says of the view too), any other expression gets sqlglot's type for it
(``count(*)`` is a ``bigint``). A column whose type cannot be told is reported and left out.
As in the catalogue, a view's columns are nullable (MySQL keeps its tables' NOT NULL) and it
has no keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import build_scope

from datapact_common.drafting import ddl_types
from datapact_common.engines.base import CheckInfo, ColumnInfo, TableInfo

_UNKNOWN = {exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL}


@dataclass
class ViewColumns:
    columns: dict[str, ColumnInfo] = field(default_factory=dict)
    checks: list[CheckInfo] = field(default_factory=list)  # of the domains of its columns
    problems: list[str] = field(default_factory=list)


def view_columns(
    query: exp.Expr | None, tables: dict[str, TableInfo], dialect: str, default: str | None
) -> ViewColumns:
    read = ViewColumns()
    if not isinstance(query, exp.Query):
        read.problems.append("its query is not a SELECT; no contract")
        return read
    schema: dict[str, object] = {
        name: {c: _sqlglot_type(info, dialect) for c, info in t.columns.items()}
        for name, t in tables.items()
        if t.columns and "." not in name
    }

    def bare(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and node.args.get("db") and node.db == default:
            node = node.copy()
            node.set("db", None)
        return node

    try:
        qualified = qualify(
            query.copy().transform(bare),
            schema=schema,
            dialect=dialect,
            validate_qualify_columns=False,
        )
        typed = annotate_types(qualified, schema=schema, dialect=dialect)
    except (SqlglotError, RecursionError, ValueError, KeyError) as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        read.problems.append(f"its query could not be read ({reason}); no contract")
        return read
    scope = build_scope(typed)
    for projection in typed.selects if isinstance(typed, exp.Query) else []:
        name = projection.alias_or_name
        found = _passed_through(projection.unalias(), scope, tables)
        if found is not None:
            table, source = found
            # MySQL's catalogue keeps a view column's NOT NULL and comment; the others do not.
            mysql = dialect == "mysql"
            read.columns[name] = replace(
                source,
                name=name,
                nullable=source.nullable if mysql else True,
                comment=source.comment if mysql else None,
            )
            read.checks += [
                replace(check, columns=(name,), column=name)
                for check in table.checks
                if check.column == source.name
            ]
            continue
        dtype = projection.type
        if not isinstance(dtype, exp.DataType) or dtype.this in _UNKNOWN:
            read.problems.append(f"column '{name}': its type cannot be told from the DDL; left out")
            continue
        read.columns[name] = _typed(name, dtype, dialect)
    return read


def _sqlglot_type(info: ColumnInfo, dialect: str) -> str:
    try:
        exp.DataType.build(info.type, dialect=dialect)
    except (SqlglotError, ValueError):
        return "UNKNOWN"
    return info.type


def _passed_through(
    node: exp.Expr, scope: object, tables: dict[str, TableInfo]
) -> tuple[TableInfo, ColumnInfo] | None:
    if not isinstance(node, exp.Column) or scope is None:
        return None
    sources = getattr(scope, "sources", {})
    table = sources.get(node.table)
    if not isinstance(table, exp.Table):
        return None
    name = f"{table.db}.{table.name}" if table.db else table.name
    found = tables.get(name) or tables.get(table.name)
    column = found.columns.get(node.name) if found is not None else None
    return (found, column) if found is not None and column is not None else None


def _typed(name: str, dtype: exp.DataType, dialect: str) -> ColumnInfo:
    if dialect == "mysql":
        spelled, base, kind, labels = ddl_types.describe_mysql(dtype)
    elif dialect == "duckdb":
        spelled, base, kind, labels = ddl_types.describe_duckdb(dtype)
    else:
        spelled = base = ddl_types.postgres_spelling(dtype)
        kind, labels = ddl_types.postgres_kind(spelled), None
    return ColumnInfo(
        name=name, type=spelled, base_type=base, kind=kind, nullable=True, enum_values=labels
    )
