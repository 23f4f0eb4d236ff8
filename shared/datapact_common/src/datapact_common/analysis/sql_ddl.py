"""Plain SQL DDL read with sqlglot: statement-by-statement changes, or a table model.

Statements are split on sqlglot's own tokens (so ``;`` inside strings and ``$$`` bodies is
safe) and parsed one at a time. Nothing is skipped silently: a statement with no schema
effect (``OWNER TO``, ``GRANT``, ``COMMENT``, ``SET``...) is ignored on purpose; a ``CREATE
TABLE`` sqlglot cannot read whole is read column by column (a column it still cannot read
keeps its name and is marked not understood); any other statement that may change a table
and cannot be read is reported as a problem on that table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from datapact_common.analysis import sql_text
from datapact_common.analysis.changes import (
    ColumnSpec,
    FileProblem,
    Location,
    SchemaChange,
    SchemaChangeKind,
    SourceKind,
)
from datapact_common.analysis.sql_constraints import alter_constraint, create_table_keys
from datapact_common.analysis.table_model import Tables, apply_change
from datapact_common.analysis.type_map import data_type_for

logger = logging.getLogger(__name__)
# sqlglot logs a warning for every statement it keeps as an opaque Command (functions, DO
# blocks); those are reported through FileProblem instead.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

DEFAULT_DIALECT = "postgres"
_PARSE_ERRORS = (SqlglotError, RecursionError, ValueError)


@dataclass
class Statement:
    expression: exp.Expr | None  # None: read from its text (indexes, enum values)
    line: int
    end_line: int
    sql: str
    unread_columns: list[tuple[ColumnSpec, int]] = field(default_factory=list)


def split_statements(
    text: str,
    path: str,
    *,
    line_offset: int = 0,
    dialect: str = DEFAULT_DIALECT,
    descriptive: bool = False,
) -> tuple[list[Statement], list[FileProblem]]:
    """The file's statements, parsed one at a time; ``descriptive`` keeps those that only
    describe the schema (types, domains, comments, views: ``sql_text.is_descriptive``), with
    their expression or, where sqlglot has none, their text."""
    problems: list[FileProblem] = []
    sql_dialect = Dialect.get_or_raise(dialect)
    text = sql_text.without_psql_lines(text)
    try:
        tokens = sql_dialect.tokenize(text)
    except _PARSE_ERRORS as exc:
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
        sql = text[chunk[0].start : chunk[-1].end + 1]
        if descriptive and sql_text.is_descriptive(sql):
            read = _parse(sql_dialect, chunk, text, path, line, sql)
            parsed = read[0] if isinstance(read, list) and len(read) == 1 else None
            kept = None if isinstance(parsed, exp.Command) else parsed
            statements.append(Statement(kept, line, end_line, sql))
            continue
        if sql_text.reaches_tables(sql):
            message = "statement reaches the tables using this schema, type or domain"
            problems.append(_not_understood(path, line, sql, f"{message} (not read)"))
            continue
        if sql_text.has_no_schema_effect(sql):
            continue
        if sql_text.index_statements(sql) or sql_text.enum_value_added(sql):
            statements.append(Statement(None, line, end_line, sql))
            continue
        read = _parse(sql_dialect, _without_virtual(chunk), text, path, line, sql)
        if isinstance(read, FileProblem):
            partial = _create_table_by_parts(sql_dialect, chunk, text, path, line_offset, sql)
            if partial is None:
                problems.append(read)
                continue
            statement, partial_problems = partial
            statements.append(statement)
            problems.extend(partial_problems)
            continue
        for expression in read:
            if isinstance(expression, exp.Command):
                if _may_change_tables(sql):
                    problems.append(
                        _not_understood(path, line, sql, "DDL statement not understood")
                    )
                continue
            statements.append(Statement(expression, line, end_line, sql))
    return statements, problems


def _parse(
    dialect: Dialect, tokens: list[Token], text: str, path: str, line: int, sql: str
) -> list[exp.Expr] | FileProblem:
    try:
        parsed = dialect.parser().parse(tokens, text)
    except _PARSE_ERRORS as exc:
        message = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        return _not_understood(path, line, sql, f"SQL statement not understood: {message}")
    return [e for e in parsed if e is not None]


def _not_understood(path: str, line: int, sql: str, message: str) -> FileProblem:
    table = sql_text.table_of(sql)
    where = f"table {table}: " if table else ""
    return FileProblem(
        path, line, f"{where}{message}", table=table, statement=sql_text.normalised(sql)
    )


def _may_change_tables(sql: str) -> bool:
    return sql_text.table_of(sql) is not None or sql_text.mentions_table_ddl(sql)


def _without_virtual(tokens: list[Token]) -> list[Token]:
    """PostgreSQL 18's ``GENERATED ALWAYS AS (…) VIRTUAL``: the column's name, type and
    nullability read the same as a ``STORED`` one, which sqlglot understands."""
    return [
        token
        for index, token in enumerate(tokens)
        if not (
            token.text.upper() == "VIRTUAL"
            and index > 0
            and tokens[index - 1].token_type is TokenType.R_PAREN
        )
    ]


def _create_table_by_parts(
    dialect: Dialect, chunk: list[Token], text: str, path: str, offset: int, sql: str
) -> tuple[Statement, list[FileProblem]] | None:
    """A ``CREATE TABLE`` sqlglot cannot parse whole, parsed one element at a time."""
    table = sql_text.table_of(sql)
    if table is None or not sql.lstrip().lower().startswith("create"):
        return None
    open_at = next((i for i, t in enumerate(chunk) if t.token_type is TokenType.L_PAREN), None)
    if open_at is None:
        return None
    depth = 0
    elements: list[list[Token]] = []
    current: list[Token] = []
    close: Token | None = None
    for token in chunk[open_at + 1 :]:
        if token.token_type is TokenType.L_PAREN:
            depth += 1
        elif token.token_type is TokenType.R_PAREN:
            if depth == 0:
                close = token
                break
            depth -= 1
        if token.token_type is TokenType.COMMA and depth == 0:
            elements.append(current)
            current = []
        else:
            current.append(token)
    elements.append(current)
    if close is None:
        return None
    header = chunk[: open_at + 1]
    items: list[exp.Expr] = []
    unread: list[tuple[ColumnSpec, int]] = []
    problems: list[FileProblem] = []
    for element in (e for e in elements if e):
        element_sql = text[element[0].start : element[-1].end + 1]
        try:
            parsed = dialect.parser().parse([*header, *_without_virtual(element), close], text)
            create = parsed[0]
            schema = create.this if isinstance(create, exp.Create) else None
            if not isinstance(schema, exp.Schema):
                raise ValueError("not a table definition")
            items.extend(schema.expressions)
            continue
        except _PARSE_ERRORS:
            pass
        line = element[0].line + offset
        what = _unread_element(element, element_sql)
        if what is not None:
            unread.append((what, line))
        problems.append(
            FileProblem(
                path,
                line,
                f"table {table}: "
                + (f"column {what.name}" if what else "table constraint")
                + f" not understood (`{' '.join(element_sql.split())[:120]}`); it is not checked",
                table=table,
                # The element, not the statement: the other columns of the table still diff.
                statement=f"{table.lower()}: {sql_text.normalised(element_sql)}",
            )
        )
    name = exp.to_table(table)
    create = exp.Create(this=exp.Schema(this=name, expressions=items), kind="TABLE")
    statement = Statement(
        create, chunk[0].line + offset, chunk[-1].line + offset, sql, unread_columns=unread
    )
    return statement, problems


_TABLE_CONSTRAINT_WORDS = {"CONSTRAINT", "PRIMARY KEY", "UNIQUE", "CHECK", "FOREIGN KEY", "EXCLUDE"}


def _unread_element(element: list[Token], element_sql: str) -> ColumnSpec | None:
    """A column sqlglot cannot read: its name, and its definition's text as its "type"."""
    first = element[0]
    if first.text.upper() in _TABLE_CONSTRAINT_WORDS or first.text.upper() == "LIKE":
        return None
    name = first.text.strip('"')
    definition = " ".join(element_sql.split()[1:])
    return ColumnSpec(name, definition or None, None, True, False, False, understood=False)


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
        found, unread = _statement_changes(statement, path, line_offset, source)
        changes.extend(found)
        problems.extend(unread)
    return changes, problems


def sql_tables(
    text: str, path: str, *, dialect: str = DEFAULT_DIALECT
) -> tuple[Tables, list[FileProblem]]:
    """The tables a declarative SQL file leaves behind, with each definition's line and text."""
    statements, problems = split_statements(text, path, dialect=dialect)
    tables: Tables = {}
    for statement in statements:
        found, unread = _statement_changes(statement, path, 0, SourceKind.SQL)
        problems.extend(unread)
        for change in found:
            apply_change(tables, change)
    return tables, problems


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
) -> tuple[list[SchemaChange], list[FileProblem]]:
    expression = statement.expression
    where = Location.at(path, statement.line, statement.end_line)
    if expression is None:
        return _text_changes(statement.sql, where, source), []
    if isinstance(expression, exp.Create) and str(expression.args.get("kind")).upper() == "TABLE":
        return _create_table(expression, statement, where, offset, source), []
    if isinstance(expression, exp.Drop) and str(expression.args.get("kind")).upper() == "TABLE":
        targets = expression.args.get("tables") or [expression.this]
        dropped = [
            SchemaChange(SchemaChangeKind.TABLE_DROPPED, name, where, source)
            for name in (_table_name(t) for t in targets)
            if name
        ]
        return dropped, []
    if isinstance(expression, exp.Alter) and str(expression.args.get("kind")).upper() == "TABLE":
        table = _table_name(expression.this)
        if table is None:
            return [], [_not_understood(path, statement.line, statement.sql, "table not read")]
        changes: list[SchemaChange] = []
        problems: list[FileProblem] = []
        for action in expression.args.get("actions") or []:
            found = _alter_action(table, action, where, offset, source)
            if found is None:
                problems.append(
                    FileProblem(
                        path,
                        statement.line,
                        f"table {table}: ALTER TABLE action not understood "
                        f"(`{' '.join(action.sql(dialect=DEFAULT_DIALECT).split())[:120]}`)",
                        table=table,
                        statement=sql_text.normalised(statement.sql),
                    )
                )
            else:
                changes.extend(found)
        return changes, problems
    return [], []


def _text_changes(sql: str, where: Location, source: SourceKind) -> list[SchemaChange]:
    enum = sql_text.enum_value_added(sql)
    if enum is not None:
        type_name, value = enum
        return [
            SchemaChange(SchemaChangeKind.ENUM_VALUE_ADDED, type_name, where, source, value=value)
        ]
    changes: list[SchemaChange] = []
    for index in sql_text.index_statements(sql):
        if index.created:
            kind = SchemaChangeKind.UNIQUE_ADDED if index.unique else SchemaChangeKind.INDEX_CREATED
        else:
            kind = SchemaChangeKind.INDEX_DROPPED
        changes.append(
            SchemaChange(
                kind,
                index.table or "",
                where,
                source,
                constraint=index.name,
                key_columns=index.columns,
            )
        )
    return changes


def _create_table(
    create: exp.Create, statement: Statement, where: Location, offset: int, source: SourceKind
) -> list[SchemaChange]:
    table = _table_name(create.this)
    if table is None:
        return []
    schema = create.this if isinstance(create.this, exp.Schema) else None
    items = list(schema.expressions) if schema is not None else []
    table_pk, uniques = create_table_keys(items)
    columns: list[ColumnSpec] = []
    lines: list[int] = []
    for item in items:
        if isinstance(item, exp.ColumnDef):
            columns.append(_column_spec(item, table_pk))
            lines.append(_line_of(item.this, where.start_line, offset))
    for spec, line in statement.unread_columns:
        columns.append(spec)
        lines.append(line)
    return [
        SchemaChange(
            SchemaChangeKind.TABLE_CREATED,
            table,
            where,
            source,
            columns=tuple(columns),
            column_lines=tuple(lines),
            uniques=uniques,
        )
    ]


def _alter_action(
    table: str, action: exp.Expr, where: Location, offset: int, source: SourceKind
) -> list[SchemaChange] | None:
    """The changes of one ALTER TABLE action; None when it is not understood."""
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
    if isinstance(action, exp.Drop | exp.AddConstraint):
        return alter_constraint(table, action, where, source)
    if isinstance(action, exp.RenameColumn):
        old, new = action.this, action.args.get("to")
        if old is None or new is None:
            return None
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
            return None
        if "." in table and "." not in new_name:
            new_name = f"{table.rsplit('.', 1)[0]}.{new_name}"
        return [
            SchemaChange(SchemaChangeKind.TABLE_RENAMED, table, where, source, new_name=new_name)
        ]
    if isinstance(action, exp.AlterColumn):
        return _alter_column(table, action, where, offset, source)
    return None


def _alter_column(
    table: str, action: exp.AlterColumn, where: Location, offset: int, source: SourceKind
) -> list[SchemaChange] | None:
    column = action.this.name if action.this is not None else None
    if not column:
        return None
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
    if any(action.args.get(key) is not None for key in ("default", "drop", "comment")):
        return []  # a default or a comment: nothing a contract describes
    return None
