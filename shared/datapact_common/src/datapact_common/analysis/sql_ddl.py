"""Plain SQL DDL read with sqlglot: statement-by-statement changes, or a table model.

Statements are split on sqlglot's own tokens (so ``;`` inside strings and ``$$`` bodies is
safe) and parsed one at a time: a statement sqlglot cannot read is reported and skipped, the
rest of the file still counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from datapact_common.analysis.changes import (
    ColumnSpec,
    FileProblem,
    Location,
    SchemaChange,
    SchemaChangeKind,
    SourceKind,
)
from datapact_common.analysis.table_model import TableDef, Tables
from datapact_common.analysis.type_map import data_type_for

logger = logging.getLogger(__name__)
# sqlglot logs a warning for every statement it keeps as an opaque Command (functions, DO
# blocks); those are reported through FileProblem instead.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

DEFAULT_DIALECT = "postgres"
_DDL_WORDS = ("alter table", "create table", "drop table")


@dataclass
class Statement:
    expression: exp.Expr
    line: int
    end_line: int


def split_statements(
    text: str, path: str, *, line_offset: int = 0, dialect: str = DEFAULT_DIALECT
) -> tuple[list[Statement], list[FileProblem]]:
    problems: list[FileProblem] = []
    sql_dialect = Dialect.get_or_raise(dialect)
    try:
        tokens = sql_dialect.tokenize(text)
    except (SqlglotError, RecursionError, ValueError) as exc:
        return [], [FileProblem(path, 1 + line_offset, f"SQL could not be tokenized: {exc}")]
    chunks: list[list[Token]] = [[]]
    for token in tokens:
        if token.token_type is TokenType.SEMICOLON:
            chunks.append([])
        else:
            chunks[-1].append(token)
    statements: list[Statement] = []
    for chunk in chunks:
        if not chunk:
            continue
        line, end_line = chunk[0].line + line_offset, chunk[-1].line + line_offset
        try:
            parsed = sql_dialect.parser().parse(chunk, text)
        except (SqlglotError, RecursionError, ValueError) as exc:
            message = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
            problems.append(FileProblem(path, line, f"SQL statement not understood: {message}"))
            continue
        for expression in parsed:
            if expression is None:
                continue
            if isinstance(expression, exp.Command) and _looks_like_ddl(expression):
                problems.append(
                    FileProblem(path, line, "DDL statement not understood; it is not checked")
                )
                continue
            statements.append(Statement(expression, line, end_line))
    return statements, problems


def _looks_like_ddl(command: exp.Command) -> bool:
    sql = command.sql().lower()
    return any(sql.startswith(word) for word in _DDL_WORDS)


def sql_changes(
    text: str,
    path: str,
    *,
    line_offset: int = 0,
    dialect: str = DEFAULT_DIALECT,
    source: SourceKind = SourceKind.SQL,
) -> tuple[list[SchemaChange], list[FileProblem]]:
    """Each DDL statement of a migration script as schema changes, in order."""
    statements, problems = split_statements(text, path, line_offset=line_offset, dialect=dialect)
    changes: list[SchemaChange] = []
    for statement in statements:
        changes.extend(_statement_changes(statement, path, line_offset, source))
    return changes, problems


def sql_tables(
    text: str, path: str, *, dialect: str = DEFAULT_DIALECT
) -> tuple[Tables, list[FileProblem]]:
    """The tables a declarative SQL file leaves behind, with each definition's line."""
    statements, problems = split_statements(text, path, dialect=dialect)
    tables: Tables = {}
    for statement in statements:
        for change in _statement_changes(statement, path, 0, SourceKind.SQL):
            _apply(tables, change)
    return tables, problems


def _apply(tables: Tables, change: SchemaChange) -> None:
    key = change.table.lower()
    line = change.location.start_line
    kind = change.kind
    if kind is SchemaChangeKind.TABLE_CREATED:
        table = TableDef(change.table, line)
        lines = change.column_lines or (line,) * len(change.columns)
        for spec, column_line in zip(change.columns, lines, strict=True):
            table.add(spec, column_line)
        tables[key] = table
        return
    if kind is SchemaChangeKind.TABLE_DROPPED:
        tables.pop(key, None)
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
    elif change.column is None:
        return
    elif kind is SchemaChangeKind.COLUMN_DROPPED:
        table_def.columns.pop(change.column.lower(), None)
    elif kind is SchemaChangeKind.COLUMN_RENAMED and change.new_name:
        existing = table_def.columns.pop(change.column.lower(), None)
        if existing is not None:
            spec = existing.spec
            renamed = ColumnSpec(
                change.new_name,
                spec.raw_type,
                spec.data_type,
                spec.nullable,
                spec.primary_key,
                spec.has_default,
            )
            table_def.add(renamed, line)
    else:
        column = table_def.column(change.column)
        if column is None:
            return
        spec = column.spec
        if kind is SchemaChangeKind.COLUMN_TYPE_CHANGED:
            spec = ColumnSpec(
                spec.name,
                change.raw_type,
                change.data_type,
                spec.nullable,
                spec.primary_key,
                spec.has_default,
            )
        elif kind is SchemaChangeKind.COLUMN_NULLABLE_CHANGED and change.nullable is not None:
            spec = ColumnSpec(
                spec.name,
                spec.raw_type,
                spec.data_type,
                change.nullable,
                spec.primary_key,
                spec.has_default,
            )
        table_def.add(spec, line)


def _table_name(node: exp.Expr | None) -> str | None:
    if isinstance(node, exp.Schema):
        node = node.this
    if not isinstance(node, exp.Table) or not node.name:
        return None
    schema = node.args.get("db")
    return f"{schema.name}.{node.name}" if isinstance(schema, exp.Identifier) else node.name


def _line_of(node: exp.Expr | None, default: int, offset: int) -> int:
    """The line of a node's first identifier token (sqlglot keeps token positions there)."""
    if node is None:
        return default
    for candidate in (node, *node.find_all(exp.Identifier)):
        meta_line = candidate.meta.get("line") if candidate.meta else None
        if isinstance(meta_line, int):
            return meta_line + offset
    return default


def _column_spec(column: exp.ColumnDef, table_pk: set[str]) -> ColumnSpec:
    name = column.name
    kind = column.args.get("kind")
    raw_type = kind.sql(dialect=DEFAULT_DIALECT) if isinstance(kind, exp.DataType) else None
    data_type = data_type_for(kind.this.name) if isinstance(kind, exp.DataType) else None
    nullable, primary_key, has_default = True, name.lower() in table_pk, False
    for constraint in column.args.get("constraints") or []:
        ckind = (
            constraint.args.get("kind") if isinstance(constraint, exp.ColumnConstraint) else None
        )
        if isinstance(ckind, exp.NotNullColumnConstraint):
            nullable = bool(ckind.args.get("allow_null"))
        elif isinstance(ckind, exp.PrimaryKeyColumnConstraint):
            primary_key = True
        elif isinstance(ckind, exp.DefaultColumnConstraint):
            has_default = True
    if primary_key:
        nullable = False
    return ColumnSpec(name, raw_type, data_type, nullable, primary_key, has_default)


def _statement_changes(
    statement: Statement, path: str, offset: int, source: SourceKind
) -> list[SchemaChange]:
    expression = statement.expression
    where = Location.at(path, statement.line, statement.end_line)
    if isinstance(expression, exp.Create) and str(expression.args.get("kind")).upper() == "TABLE":
        return _create_table(expression, where, offset, source)
    if isinstance(expression, exp.Drop) and str(expression.args.get("kind")).upper() == "TABLE":
        targets = expression.args.get("tables") or [expression.this]
        return [
            SchemaChange(SchemaChangeKind.TABLE_DROPPED, name, where, source)
            for name in (_table_name(t) for t in targets)
            if name
        ]
    if isinstance(expression, exp.Alter) and str(expression.args.get("kind")).upper() == "TABLE":
        table = _table_name(expression.this)
        if table is None:
            return []
        changes: list[SchemaChange] = []
        for action in expression.args.get("actions") or []:
            changes.extend(_alter_action(table, action, where, offset, source))
        return changes
    return []


def _create_table(
    create: exp.Create, where: Location, offset: int, source: SourceKind
) -> list[SchemaChange]:
    table = _table_name(create.this)
    if table is None:
        return []
    schema = create.this if isinstance(create.this, exp.Schema) else None
    table_pk: set[str] = set()
    columns: list[ColumnSpec] = []
    lines: list[int] = []
    if schema is not None:
        for item in schema.expressions:
            if isinstance(item, exp.PrimaryKey):
                table_pk |= {e.name.lower() for e in item.expressions}
        for item in schema.expressions:
            if isinstance(item, exp.ColumnDef):
                columns.append(_column_spec(item, table_pk))
                lines.append(_line_of(item.this, where.start_line, offset))
    return [
        SchemaChange(
            SchemaChangeKind.TABLE_CREATED,
            table,
            where,
            source,
            columns=tuple(columns),
            column_lines=tuple(lines),
        )
    ]


def _alter_action(
    table: str, action: exp.Expr, where: Location, offset: int, source: SourceKind
) -> list[SchemaChange]:
    if isinstance(action, exp.ColumnDef):
        spec = _column_spec(action, set())
        at = Location.at(where.path, _line_of(action.this, where.start_line, offset))
        return [
            SchemaChange(
                SchemaChangeKind.COLUMN_ADDED,
                table,
                at,
                source,
                column=spec.name,
                column_spec=spec,
            )
        ]
    if isinstance(action, exp.Drop) and str(action.args.get("kind")).upper() == "COLUMN":
        targets = action.args.get("tables") or [action.this]
        return [
            SchemaChange(
                SchemaChangeKind.COLUMN_DROPPED,
                table,
                Location.at(where.path, _line_of(t, where.start_line, offset)),
                source,
                column=t.name,
            )
            for t in targets
            if t is not None and t.name
        ]
    if isinstance(action, exp.RenameColumn):
        old, new = action.this, action.args.get("to")
        if old is None or new is None:
            return []
        at = Location.at(where.path, _line_of(old, where.start_line, offset))
        return [
            SchemaChange(
                SchemaChangeKind.COLUMN_RENAMED,
                table,
                at,
                source,
                column=old.name,
                new_name=new.name,
            )
        ]
    if isinstance(action, exp.AlterRename):
        new_name = _table_name(action.this)
        if new_name is None:
            return []
        if "." in table and "." not in new_name:
            new_name = f"{table.rsplit('.', 1)[0]}.{new_name}"
        return [
            SchemaChange(SchemaChangeKind.TABLE_RENAMED, table, where, source, new_name=new_name)
        ]
    if isinstance(action, exp.AlterColumn):
        return _alter_column(table, action, where, offset, source)
    return []


def _alter_column(
    table: str, action: exp.AlterColumn, where: Location, offset: int, source: SourceKind
) -> list[SchemaChange]:
    column = action.this.name if action.this is not None else None
    if not column:
        return []
    at = Location.at(where.path, _line_of(action.this, where.start_line, offset))
    dtype = action.args.get("dtype")
    if isinstance(dtype, exp.DataType):
        return [
            SchemaChange(
                SchemaChangeKind.COLUMN_TYPE_CHANGED,
                table,
                at,
                source,
                column=column,
                raw_type=dtype.sql(dialect=DEFAULT_DIALECT),
                data_type=data_type_for(dtype.this.name),
            )
        ]
    allow_null = action.args.get("allow_null")
    if allow_null is not None:
        return [
            SchemaChange(
                SchemaChangeKind.COLUMN_NULLABLE_CHANGED,
                table,
                at,
                source,
                column=column,
                nullable=bool(allow_null),
            )
        ]
    return []
