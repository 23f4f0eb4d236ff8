"""Alembic migrations read with Python's ``ast``: the operations of ``upgrade()`` only.

Understood: ``op.create_table``, ``drop_table``, ``rename_table``, ``add_column``,
``drop_column``, ``alter_column`` (``nullable``, ``type_``, ``new_column_name``),
``create_primary_key``, ``create_unique_constraint``, ``drop_constraint``, ``create_index``,
``drop_index``, the same operations on ``with op.batch_alter_table("t") as batch_op:``
aliases, and raw SQL however it is run — ``op.execute("…")``, ``op.get_bind().execute(…)``,
``connection.execute(text("…"))``, ``exec_driver_sql`` — parsed like a ``.sql`` file.
Arguments may be literals or module-level string constants; anything else is reported as
not understood rather than guessed (DDL built at run time, e.g. an f-string, too).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from datapact_common.analysis.changes import (
    ColumnSpec,
    FileProblem,
    Location,
    SchemaChange,
    SchemaChangeKind,
    SourceKind,
)
from datapact_common.analysis.sql_constraints import kind_of_dropped
from datapact_common.analysis.sql_ddl import sql_changes
from datapact_common.analysis.type_map import data_type_for

_UNKNOWN = object()

# Positional parameters of each operation after the table name (op.*) or without it (batch).
_OPS_WITH_TABLE = {
    "create_table": ("table_name",),
    "drop_table": ("table_name",),
    "rename_table": ("old_table_name", "new_table_name"),
    "add_column": ("table_name", "column"),
    "drop_column": ("table_name", "column_name"),
    "alter_column": ("table_name", "column_name"),
}
_BATCH_OPS = {
    "add_column": ("column",),
    "drop_column": ("column_name",),
    "alter_column": ("column_name",),
}
# Keys and indexes name the constraint first, then (op.* only) the table.
_KEY_OPS = {
    "create_primary_key": SchemaChangeKind.PRIMARY_KEY_ADDED,
    "create_unique_constraint": SchemaChangeKind.UNIQUE_ADDED,
    "create_index": SchemaChangeKind.INDEX_CREATED,
    "drop_constraint": SchemaChangeKind.CONSTRAINT_DROPPED,
    "drop_index": SchemaChangeKind.INDEX_DROPPED,
}
# ``op.f("ix_x")``, ``conv("…")``, ``quoted_name("…", quote=True)``: a name as written.
_NAME_WRAPPERS = {"quoted_name", "f", "conv"}
_RAW_SQL_METHODS = {"execute", "exec_driver_sql"}
_TEXT_FUNCTIONS = {"text", "literal_column"}
# A SQL text worth reading as DDL (``text()`` also builds defaults and WHERE clauses).
_DDL = re.compile(r"\b(?:alter|create|drop|rename)\s+\w|\bdo\s+(?:\$|language)", re.IGNORECASE)
_QUIET_ALTER_KEYWORDS = (
    "server_default",
    "comment",
    "existing_type",
    "existing_nullable",
    "existing_server_default",
    "existing_comment",
    "autoincrement",
    "existing_autoincrement",
    "postgresql_using",
    "schema",
)


def is_alembic_migration(text: str) -> bool:
    """A Python file with a module-level ``upgrade()`` that talks to ``alembic``."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "def upgrade" in text and "alembic" in text
    return _upgrade_function(tree) is not None and "alembic" in text


def _upgrade_function(tree: ast.Module) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "upgrade":
            return node
    return None


@dataclass
class _Context:
    path: str
    constants: dict[str, Any]
    op_names: set[str]
    changes: list[SchemaChange] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


def alembic_changes(text: str, path: str) -> tuple[list[SchemaChange], list[FileProblem]]:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return [], [FileProblem(path, exc.lineno or 1, f"Python syntax error: {exc.msg}")]
    except (ValueError, RecursionError, MemoryError) as exc:
        return [], [FileProblem(path, 1, f"Python source not readable: {type(exc).__name__}")]
    upgrade = _upgrade_function(tree)
    if upgrade is None:
        return [], [FileProblem(path, 1, "no upgrade() function found in this migration")]
    ctx = _Context(path, _module_constants(tree), _op_names(tree))
    ctx.constants.update(_module_constants(upgrade))
    _visit(upgrade.body, {}, ctx)
    ctx.changes.sort(key=lambda c: (c.location.start_line, c.location.end_line))
    return ctx.changes, ctx.problems


def _op_names(tree: ast.Module) -> set[str]:
    names = {"op"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "alembic":
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "op"}
        elif isinstance(node, ast.Import):
            names |= {a.asname for a in node.names if a.name == "alembic.op" and a.asname}
    return names


def _module_constants(scope: ast.Module | ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Any]:
    constants: dict[str, Any] = {}
    for node in scope.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.value, ast.Constant)
        ):
            constants[node.target.id] = node.value.value
    return constants


def _visit(body: list[ast.stmt], aliases: dict[str, str], ctx: _Context) -> None:
    for stmt in body:
        if isinstance(stmt, ast.With | ast.AsyncWith):
            inner = dict(aliases)
            for item in stmt.items:
                table = _batch_table(item.context_expr, ctx)
                if table is not None and isinstance(item.optional_vars, ast.Name):
                    inner[item.optional_vars.id] = table
                elif isinstance(item.context_expr, ast.Call):
                    _call(item.context_expr, aliases, ctx)
            _visit(stmt.body, inner, ctx)
            continue
        nested = [getattr(stmt, name, None) for name in ("body", "orelse", "finalbody")]
        handlers = getattr(stmt, "handlers", None) or []
        if any(isinstance(block, list) for block in nested) or handlers:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue  # a nested definition is not executed by upgrade() itself
            for block in nested:
                if isinstance(block, list):
                    _visit(block, aliases, ctx)
            for handler in handlers:
                _visit(handler.body, aliases, ctx)
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                _call(node, aliases, ctx)


def _batch_table(expr: ast.expr, ctx: _Context) -> str | None:
    if not (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "batch_alter_table"
        and isinstance(expr.func.value, ast.Name)
        and expr.func.value.id in ctx.op_names
    ):
        return None
    table = _value(_argument(expr, 0, "table_name"), ctx)
    if not isinstance(table, str):
        ctx.problems.append(
            FileProblem(ctx.path, expr.lineno, "batch_alter_table: table name not understood")
        )
        return None
    return _qualified(table, _value(_argument(expr, None, "schema"), ctx))


def _qualified(table: str, schema: Any) -> str:
    return f"{schema}.{table}" if isinstance(schema, str) and schema else table


def _argument(call: ast.Call, index: int | None, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if index is not None and index < len(call.args):
        arg = call.args[index]
        return None if isinstance(arg, ast.Starred) else arg
    return None


def _has_keyword(call: ast.Call, name: str) -> bool:
    return any(k.arg == name for k in call.keywords)


def _value(node: ast.expr | None, ctx: _Context) -> Any:
    """A literal, a known constant, or ``_UNKNOWN``."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in ctx.constants:
        return ctx.constants[node.id]
    if isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] in _NAME_WRAPPERS:
        return _value(_argument(node, 0, "value"), ctx)
    return _UNKNOWN


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


def _type_of(node: ast.expr | None) -> tuple[str | None, Any]:
    """(source text, contract data type) of a SQLAlchemy type expression."""
    if node is None:
        return None, None
    raw = ast.unparse(node)
    return raw, data_type_for(_dotted(node))


def _column_spec(node: ast.expr | None, ctx: _Context) -> ColumnSpec | None:
    if not (isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] == "Column"):
        return None
    args = list(node.args)
    name = _value(args[0], ctx) if args else _value(_argument(node, None, "name"), ctx)
    if not isinstance(name, str):
        return None
    type_node = args[1] if len(args) > 1 else _argument(node, None, "type_")
    if type_node is not None and _dotted(type_node).rsplit(".", 1)[-1] in ("ForeignKey",):
        type_node = None
    raw_type, data_type = _type_of(type_node)
    primary_key = _value(_argument(node, None, "primary_key"), ctx) is True
    nullable_value = _value(_argument(node, None, "nullable"), ctx)
    nullable = nullable_value if isinstance(nullable_value, bool) else not primary_key
    has_default = any(
        _argument(node, None, key) is not None for key in ("server_default", "default")
    )
    return ColumnSpec(name, raw_type, data_type, nullable, primary_key, has_default)


def _call(call: ast.Call, aliases: dict[str, str], ctx: _Context) -> None:
    func = call.func
    if _dotted(func).rsplit(".", 1)[-1] in _TEXT_FUNCTIONS:
        _text(call, ctx)
        return
    if not isinstance(func, ast.Attribute):
        return
    method = func.attr
    if method in _RAW_SQL_METHODS:
        _execute(call, ctx)
        return
    if not isinstance(func.value, ast.Name):
        return
    receiver = func.value.id
    if receiver in ctx.op_names:
        if method in _KEY_OPS:
            _key_op(call, method, None, ctx)
            return
        params = _OPS_WITH_TABLE.get(method)
        if params is None:
            return
        table_value = _value(_argument(call, 0, params[0]), ctx)
        rest = params[1:]
        offset = 1
    elif receiver in aliases:
        if method in _KEY_OPS:
            _key_op(call, method, aliases[receiver], ctx)
            return
        params = _BATCH_OPS.get(method)
        if params is None:
            return
        table_value, rest, offset = aliases[receiver], params, 0
    else:
        return
    where = Location.at(ctx.path, call.lineno, call.end_lineno)
    if not isinstance(table_value, str):
        ctx.problems.append(
            FileProblem(ctx.path, call.lineno, f"{method}: table name not understood")
        )
        return
    table = table_value
    if receiver in ctx.op_names:
        table = _qualified(table, _value(_argument(call, None, "schema"), ctx))
    handler = _HANDLERS[method]
    handler(call, table, rest, offset, where, ctx)


def _names(node: ast.expr | None, ctx: _Context) -> tuple[str, ...] | None:
    """A list of column names (literals or constants); None when one is not understood."""
    if not isinstance(node, ast.List | ast.Tuple):
        return None
    names = [_value(item, ctx) for item in node.elts]
    if not all(isinstance(n, str) for n in names):
        return None
    return tuple(str(n) for n in names)


def _key_op(call: ast.Call, method: str, batch_table: str | None, ctx: _Context) -> None:
    """``create_primary_key``/``create_unique_constraint``/``create_index`` and the drops."""
    where = Location.at(ctx.path, call.lineno, call.end_lineno)
    name = _value(_argument(call, 0, _KEY_NAME_PARAM[method]), ctx)
    shift = 0 if batch_table is not None else 1
    table: Any = batch_table
    if batch_table is None:
        table = _value(_argument(call, 1, "table_name"), ctx)
        if table is None and method == "drop_index":
            table = ""  # Alembic lets a drop_index name no table
        if isinstance(table, str) and table:
            table = _qualified(table, _value(_argument(call, None, "schema"), ctx))
    if not isinstance(table, str) or not isinstance(name, str | None):
        _problem(ctx, where, f"{method}: table or constraint name not understood")
        return
    kind: SchemaChangeKind | None = _KEY_OPS[method]
    columns: tuple[str, ...] = ()
    if method.startswith("create"):
        found = _names(_argument(call, 1 + shift, "columns"), ctx)
        if found is None:
            _problem(ctx, where, f"{method} on {table}: columns not understood")
            return
        columns = found
        if method == "create_index" and _value(_argument(call, None, "unique"), ctx) is True:
            kind = SchemaChangeKind.UNIQUE_ADDED
    elif method == "drop_constraint":
        declared = _value(_argument(call, 1 + shift, "type_"), ctx)
        kind = kind_of_dropped(name or "", declared if isinstance(declared, str) else None)
    if kind is not None:
        _emit(ctx, kind, table, where, constraint=name, key_columns=columns)


_KEY_NAME_PARAM = {
    "create_primary_key": "constraint_name",
    "create_unique_constraint": "constraint_name",
    "create_index": "index_name",
    "drop_constraint": "constraint_name",
    "drop_index": "index_name",
}


def _problem(ctx: _Context, where: Location, message: str) -> None:
    ctx.problems.append(FileProblem(ctx.path, where.start_line, message))


def _emit(ctx: _Context, kind: SchemaChangeKind, table: str, where: Location, **kw: Any) -> None:
    ctx.changes.append(SchemaChange(kind, table, where, SourceKind.ALEMBIC, **kw))


def _create_table(
    call: ast.Call, table: str, rest: tuple[str, ...], offset: int, where: Location, ctx: _Context
) -> None:
    columns: list[ColumnSpec] = []
    lines: list[int] = []
    primary: set[str] = set()
    for arg in call.args[1:]:
        if isinstance(arg, ast.Call) and _dotted(arg.func).endswith("PrimaryKeyConstraint"):
            primary |= {v for v in (_value(a, ctx) for a in arg.args) if isinstance(v, str)}
    for arg in call.args[1:]:
        spec = _column_spec(arg, ctx)
        if spec is None:
            continue
        if spec.name in primary:
            spec = ColumnSpec(
                spec.name, spec.raw_type, spec.data_type, False, True, spec.has_default
            )
        columns.append(spec)
        lines.append(arg.lineno)
    _emit(
        ctx,
        SchemaChangeKind.TABLE_CREATED,
        table,
        where,
        columns=tuple(columns),
        column_lines=tuple(lines),
    )


def _drop_table(
    call: ast.Call, table: str, rest: tuple[str, ...], offset: int, where: Location, ctx: _Context
) -> None:
    _emit(ctx, SchemaChangeKind.TABLE_DROPPED, table, where)


def _rename_table(
    call: ast.Call, table: str, rest: tuple[str, ...], offset: int, where: Location, ctx: _Context
) -> None:
    new_name = _value(_argument(call, offset, rest[0]), ctx)
    if not isinstance(new_name, str):
        _problem(ctx, where, "rename_table: new table name not understood")
        return
    schema = _value(_argument(call, None, "schema"), ctx)
    _emit(ctx, SchemaChangeKind.TABLE_RENAMED, table, where, new_name=_qualified(new_name, schema))


def _add_column(
    call: ast.Call, table: str, rest: tuple[str, ...], offset: int, where: Location, ctx: _Context
) -> None:
    spec = _column_spec(_argument(call, offset, rest[0]), ctx)
    if spec is None:
        _problem(ctx, where, "add_column: column definition not understood")
        return
    _emit(ctx, SchemaChangeKind.COLUMN_ADDED, table, where, column=spec.name, column_spec=spec)


def _drop_column(
    call: ast.Call, table: str, rest: tuple[str, ...], offset: int, where: Location, ctx: _Context
) -> None:
    column = _value(_argument(call, offset, rest[0]), ctx)
    if not isinstance(column, str):
        _problem(ctx, where, "drop_column: column name not understood")
        return
    _emit(ctx, SchemaChangeKind.COLUMN_DROPPED, table, where, column=column)


def _alter_column(
    call: ast.Call, table: str, rest: tuple[str, ...], offset: int, where: Location, ctx: _Context
) -> None:
    column = _value(_argument(call, offset, rest[0]), ctx)
    if not isinstance(column, str):
        _problem(ctx, where, "alter_column: column name not understood")
        return
    understood = False
    if _has_keyword(call, "type_"):
        raw_type, data_type = _type_of(_argument(call, None, "type_"))
        _emit(
            ctx,
            SchemaChangeKind.COLUMN_TYPE_CHANGED,
            table,
            where,
            column=column,
            raw_type=raw_type,
            data_type=data_type,
        )
        understood = True
    if _has_keyword(call, "nullable"):
        nullable = _value(_argument(call, None, "nullable"), ctx)
        if isinstance(nullable, bool):
            _emit(
                ctx,
                SchemaChangeKind.COLUMN_NULLABLE_CHANGED,
                table,
                where,
                column=column,
                nullable=nullable,
            )
            understood = True
        elif nullable is not None:
            _problem(ctx, where, f"alter_column {column}: nullable value not understood")
    if _has_keyword(call, "new_column_name"):
        new_name = _value(_argument(call, None, "new_column_name"), ctx)
        if isinstance(new_name, str):
            _emit(
                ctx,
                SchemaChangeKind.COLUMN_RENAMED,
                table,
                where,
                column=column,
                new_name=new_name,
            )
            understood = True
        else:
            _problem(ctx, where, f"alter_column {column}: new_column_name not understood")
    attempted = any(_has_keyword(call, k) for k in ("type_", "nullable", "new_column_name"))
    quiet = any(_has_keyword(call, k) for k in _QUIET_ALTER_KEYWORDS)
    if not understood and not attempted and not quiet:
        _problem(ctx, where, f"alter_column {column}: no change this check understands")


def _execute(call: ast.Call, ctx: _Context) -> None:
    """Raw SQL run by ``op.execute``, a connection's ``execute`` or ``exec_driver_sql``.

    A ``text("…")`` argument is read where that call is visited; a SQLAlchemy construct
    (``table.update()``) changes data, not the schema.
    """
    node = _argument(call, 0, "sqltext") or _argument(call, 0, "statement")
    if node is None or (
        isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] in _TEXT_FUNCTIONS
    ):
        return
    sql = _value(node, ctx)
    if isinstance(sql, str):
        _read_sql(sql, node.lineno, ctx)
        return
    _built_sql(node, ctx)


def _text(call: ast.Call, ctx: _Context) -> None:
    node = _argument(call, 0, "text")
    sql = _value(node, ctx)
    if isinstance(sql, str) and node is not None:
        if _DDL.search(sql):
            _read_sql(sql, node.lineno, ctx)
    elif node is not None:
        _built_sql(node, ctx)


def _read_sql(sql: str, line: int, ctx: _Context) -> None:
    changes, problems = sql_changes(sql, ctx.path, line_offset=line - 1, source=SourceKind.ALEMBIC)
    ctx.changes.extend(changes)
    ctx.problems.extend(problems)


def _built_sql(node: ast.expr, ctx: _Context) -> None:
    """SQL put together at run time: reported when its fixed parts are DDL."""
    fixed = " ".join(
        part.value
        for part in ast.walk(node)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    )
    if _DDL.search(fixed):
        ctx.problems.append(
            FileProblem(
                ctx.path,
                node.lineno,
                f"SQL built at run time is not checked (`{ast.unparse(node)[:120]}`)",
            )
        )


_HANDLERS = {
    "create_table": _create_table,
    "drop_table": _drop_table,
    "rename_table": _rename_table,
    "add_column": _add_column,
    "drop_column": _drop_column,
    "alter_column": _alter_column,
}
