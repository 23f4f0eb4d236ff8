"""SQLAlchemy declarative models read statically into the catalogue a live database gives.

Nothing is imported or run. The tables, columns, nullability and primary keys are what the PR
check reads (:func:`datapact_common.analysis.models_ast.model_tables`); this module adds what
a contract also says, from the same ``Column(...)``/``mapped_column(...)`` calls: the type as
PostgreSQL spells it (the SQLAlchemy type is rebuilt from its name and constant arguments and
compiled for PostgreSQL, as ``create_all`` would), ``Enum`` labels, ``unique=True``,
``ForeignKey("table.column")``, ``comment=``, and ``__table_args__``: its ``comment`` and its
``PrimaryKeyConstraint``, ``UniqueConstraint``, ``Index(..., unique=True)``,
``ForeignKeyConstraint`` and ``CheckConstraint`` (string arguments or the class's own column
attributes; a CHECK's SQL is read as the database's would be). A type
that cannot be rebuilt (a custom ``TypeDecorator``, an argument computed at import time) is
reported and its column left out.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy
import sqlglot
from sqlalchemy import types as sa_types
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import SQLAlchemyError
from sqlglot import exp
from sqlglot.errors import SqlglotError

from datapact_common.analysis.models_ast import model_tables
from datapact_common.drafting.ddl_types import postgres_kind, postgres_spelling
from datapact_common.engines.base import CheckInfo, ColumnInfo, ForeignKeyInfo, Kind, TableInfo

MAX_MODELS_BYTES = 5 * 1024 * 1024  # all files together, as the PR check's per-file limit
# What SQLAlchemy 2 maps a bare ``Mapped[X]`` to.
_PYTHON_TYPES = {
    "int": "Integer", "str": "String", "float": "Float", "bool": "Boolean",
    "Decimal": "Numeric", "datetime": "DateTime", "date": "Date", "time": "Time",
    "UUID": "Uuid", "dict": "JSON", "list": "JSON", "bytes": "LargeBinary",
    "timedelta": "Interval",
}  # fmt: skip
_NAMESPACES: tuple[Any, ...] = (sa_types, postgresql, sqlalchemy)
_PG_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


class _NotATypeError(ValueError):
    pass


@dataclass
class ModelsSchema:
    tables: dict[str, TableInfo]
    problems: list[str] = field(default_factory=list)


def read_models(files: list[tuple[str, str]]) -> ModelsSchema:
    """The tables of model files (``(path, text)`` pairs), as PostgreSQL would create them."""
    schema = ModelsSchema({})
    for path, text in files:
        tables, problems = model_tables(text, path)
        schema.problems += [f"{p.path}: line {p.line}: {p.message}" for p in problems]
        if not tables:
            continue
        extras = _extras(ast.parse(text))
        for table in tables.values():
            name = table.name[len("public.") :] if table.name.startswith("public.") else table.name
            found = extras.get(table.name, _TableExtras())
            info = TableInfo(name=name, columns={}, comment=found.comment)
            for column in table.columns.values():
                spec = column.spec
                extra = found.columns.get(spec.name, _ColumnExtras())
                try:
                    spelled, base, kind, labels = _describe(extra.type_node, spec.raw_type)
                except _NotATypeError as exc:
                    schema.problems.append(
                        f"{path}: line {column.line}: column '{name}.{spec.name}': type "
                        f"{spec.raw_type or '(none)'} not understood ({exc}); left out"
                    )
                    continue
                info.columns[spec.name] = ColumnInfo(
                    name=spec.name,
                    type=spelled,
                    base_type=base,
                    kind=kind,
                    nullable=spec.nullable,
                    enum_values=labels,
                    comment=extra.comment,
                )
                if spec.primary_key:
                    info.primary_key.append(spec.name)
                if extra.unique:
                    info.unique.append([spec.name])
                if extra.references:
                    target = extra.references.rsplit(".", 1)
                    owner = target[0].removeprefix("public.")
                    info.foreign_keys.append(ForeignKeyInfo((spec.name,), f"{owner}.{target[-1]}"))
            unread = _table_constraints(info, found)
            schema.problems += [f"{path}: model of table '{name}': {p}" for p in unread]
            schema.tables[name] = info
    return schema


def _table_constraints(info: TableInfo, extras: _TableExtras) -> list[str]:
    """``__table_args__``'s ``PrimaryKeyConstraint``, ``UniqueConstraint``,
    ``Index(..., unique=True)``, ``ForeignKeyConstraint`` and ``CheckConstraint``, read
    without running them, into ``info`` as a live database would report them."""
    problems: list[str] = []
    for call in extras.constraints:
        kind = _short(call)
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        name = _constant(keywords.get("name"))
        if kind == "CheckConstraint":
            text = _constant(call.args[0]) if call.args else _constant(keywords.get("sqltext"))
            if not isinstance(text, str):
                problems.append(f"CheckConstraint {ast.unparse(call)[:80]}: not a SQL string")
                continue
            info.checks.append(_check(info.name, text, name if isinstance(name, str) else None))
            continue
        if kind == "Index":
            if _constant(keywords.get("unique")) is not True:
                continue  # a plain index promises nothing
            names, positional = call.args[1:], call.args[:1]
            if positional and not isinstance(_constant(positional[0]), str):
                names = call.args  # Index(None, ...) or a first column
        else:
            names = call.args
        if kind == "ForeignKeyConstraint":
            columns = _column_names(call.args[0] if call.args else None, extras)
            targets = _strings(call.args[1] if len(call.args) > 1 else None)
            if not columns or targets is None or len(targets) != len(columns):
                problems.append(f"{ast.unparse(call)[:80]}: columns not understood")
                continue
            table = targets[0].rsplit(".", 1)[0].removeprefix("public.")
            refs = [t.rsplit(".", 1)[-1] for t in targets]
            shown = refs[0] if len(refs) == 1 else f"({', '.join(refs)})"
            key = ForeignKeyInfo(tuple(columns), f"{table}.{shown}")
            if key not in info.foreign_keys:
                info.foreign_keys.append(key)
            continue
        if kind not in ("PrimaryKeyConstraint", "UniqueConstraint", "Index"):
            continue
        columns = [c for node in names for c in _column_names(node, extras)]
        if not columns or len(columns) != len(names):
            problems.append(f"{kind} {ast.unparse(call)[:80]}: columns not understood")
            continue
        if kind == "PrimaryKeyConstraint":
            info.primary_key = columns
            for column in columns:  # a key column is never null
                if column in info.columns:
                    info.columns[column] = replace(info.columns[column], nullable=False)
        elif columns not in info.unique:
            info.unique.append(columns)
    return problems


def _check(table: str, text: str, name: str | None) -> CheckInfo:
    """A ``CheckConstraint``'s SQL with the columns it reads, named as PostgreSQL names an
    unnamed one (``<table>_<column>_check``, or ``<table>_check`` for several columns)."""
    try:
        read = sorted(
            {c.name for c in sqlglot.parse_one(text, read="postgres").find_all(exp.Column)}
        )
    except SqlglotError:
        read = []
    if name is None:
        only = f"_{read[0]}" if len(read) == 1 else ""
        name = f"{table.rsplit('.', 1)[-1]}{only}_check"
    return CheckInfo(sql=text, columns=tuple(read), name=name)


def _strings(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, ast.List | ast.Tuple):
        values = [_constant(e) for e in node.elts]
        return (
            [v for v in values if isinstance(v, str)]
            if all(isinstance(v, str) for v in values)
            else None
        )
    return None


def _column_names(node: ast.expr | None, extras: _TableExtras) -> list[str]:
    """A constraint's column: ``"email"``, an attribute of the class (``email``), or a list
    of them (``ForeignKeyConstraint``'s first argument)."""
    if isinstance(node, ast.List | ast.Tuple):
        found = [c for e in node.elts for c in _column_names(e, extras)]
        return found if len(found) == len(node.elts) else []
    value = _constant(node)
    if isinstance(value, str):
        return [value]
    if isinstance(node, ast.Name) and node.id in extras.attributes:
        return [extras.attributes[node.id]]
    return []


@dataclass
class _ColumnExtras:
    type_node: ast.expr | None = None
    unique: bool = False
    references: str | None = None
    comment: str | None = None


@dataclass
class _TableExtras:
    table: str | None = None  # as model_tables names it
    comment: str | None = None
    columns: dict[str, _ColumnExtras] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)  # attribute -> column name
    constraints: list[ast.Call] = field(default_factory=list)  # __table_args__'s positionals


def _constant(node: ast.expr | None) -> Any:
    return node.value if isinstance(node, ast.Constant) else None


def _short(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _extras(tree: ast.Module) -> dict[str, _TableExtras]:
    """Per table (as model_tables names it), what the PR check's reader does not keep."""
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    found: dict[str, _TableExtras] = {}
    for cls in classes.values():
        extras = _class_extras(cls, classes, 0)
        if extras.table is not None:
            found[extras.table] = extras
    return found


def _class_extras(cls: ast.ClassDef, classes: dict[str, ast.ClassDef], depth: int) -> _TableExtras:
    table: str | None = None
    extras = _TableExtras()
    schema: str | None = None
    if depth < 10:
        for base in cls.bases:  # a mixin's columns (model_tables reads them too)
            mixin = classes.get(base.id if isinstance(base, ast.Name) else "")
            if mixin is not None and mixin is not cls:
                extras.columns.update(_class_extras(mixin, classes, depth + 1).columns)
        for node in cls.body:
            value: ast.expr | None
            if isinstance(node, ast.Assign) and node.targets:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            else:
                continue
            if not isinstance(target, ast.Name) or value is None:
                continue
            if target.id == "__tablename__":
                table = _constant(value)
            elif target.id == "__table_args__":
                if isinstance(value, ast.Tuple | ast.List):
                    extras.constraints += [e for e in value.elts if isinstance(e, ast.Call)]
                args = value.elts[-1] if isinstance(value, ast.Tuple) and value.elts else value
                if isinstance(args, ast.Dict):
                    for key, item in zip(args.keys, args.values, strict=True):
                        if _constant(key) == "comment":
                            extras.comment = _constant(item)
                        elif _constant(key) == "schema":
                            schema = _constant(item)
            elif isinstance(value, ast.Call) and _short(value) in ("Column", "mapped_column"):
                name, column = _column_extras(target.id, value)
                extras.columns[name] = column
                extras.attributes[target.id] = name
    if isinstance(table, str):
        extras.table = f"{schema}.{table}" if schema else table
    return extras


def _column_extras(attr: str, call: ast.Call) -> tuple[str, _ColumnExtras]:
    extras = _ColumnExtras()
    args = list(call.args)
    name = attr
    if args and isinstance(_constant(args[0]), str):
        name = args.pop(0).value  # type: ignore[attr-defined]
    for arg in args:
        if isinstance(arg, ast.Call) and _short(arg) == "ForeignKey" and arg.args:
            extras.references = _constant(arg.args[0])
        elif _short(arg) not in ("ForeignKey", "Sequence", "Identity", "Computed", ""):
            extras.type_node = extras.type_node or arg
    for keyword in call.keywords:
        if keyword.arg == "type_":
            extras.type_node = keyword.value
        elif keyword.arg == "unique":
            extras.unique = _constant(keyword.value) is True
        elif keyword.arg == "comment":
            extras.comment = _constant(keyword.value)
    return name, extras


def _build(node: ast.expr) -> Any:
    """A SQLAlchemy type rebuilt from its name and constant arguments, never evaluated."""
    call = node if isinstance(node, ast.Call) else None
    name = _short(node)
    factory = next((getattr(ns, name) for ns in _NAMESPACES if hasattr(ns, name)), None)
    if not (isinstance(factory, type) and issubclass(factory, sa_types.TypeEngine)):
        raise _NotATypeError(f"{name or ast.unparse(node)} is not a SQLAlchemy type")
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for arg in call.args if call else []:
        args.append(_argument(arg))
    for keyword in call.keywords if call else []:
        if keyword.arg is None:
            raise _NotATypeError("**arguments")
        kwargs[keyword.arg] = _argument(keyword.value)
    try:
        return factory(*args, **kwargs)
    except (TypeError, ValueError, SQLAlchemyError) as exc:
        raise _NotATypeError(str(exc).splitlines()[0][:120]) from exc


def _argument(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name | ast.Attribute | ast.Call):
        return _build(node)
    raise _NotATypeError(f"argument {ast.unparse(node)[:60]} is computed")


def _describe(
    type_node: ast.expr | None, annotation: str | None
) -> tuple[str, str, Kind, tuple[str, ...] | None]:
    if type_node is None:
        bare = (annotation or "").rsplit(".", 1)[-1]
        if bare in _PYTHON_TYPES:
            type_node = ast.Name(_PYTHON_TYPES[bare])
        else:  # the type's own text, as the PR check's reader kept it
            try:
                type_node = ast.parse(annotation or "", mode="eval").body
            except SyntaxError as exc:
                raise _NotATypeError("no SQLAlchemy type and no plain annotation") from exc
    built = _build(type_node)
    if isinstance(built, sa_types.Enum):
        labels = tuple(str(v) for v in built.enums)
        name = built.name or "enum"
        if not built.native_enum or built.name is None:  # a VARCHAR holding the labels
            length = max((len(v) for v in labels), default=1)
            return f"character varying({length})", f"character varying({length})", Kind.TEXT, None
        return name, "enum", Kind.ENUM, labels
    try:
        compiled = built.compile(dialect=_PG_DIALECT)
    except SQLAlchemyError as exc:
        raise _NotATypeError(str(exc).splitlines()[0][:120]) from exc
    if compiled.upper() == "FLOAT":  # PostgreSQL's float is a double precision
        return "double precision", "double precision", Kind.NUMBER, None
    try:
        spelled = postgres_spelling(exp.DataType.build(compiled, dialect="postgres"))
    except (SqlglotError, ValueError) as exc:
        raise _NotATypeError(f"{compiled} not read") from exc
    return spelled, spelled, postgres_kind(spelled), None
