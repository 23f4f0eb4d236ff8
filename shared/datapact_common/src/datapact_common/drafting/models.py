"""SQLAlchemy declarative models read statically into the catalogue a live database gives.

Nothing is imported or run. The tables, columns, nullability and primary keys are what the PR
check reads (:func:`datapact_common.analysis.models_ast.model_tables`); this module adds what
a contract also says, from the same ``Column(...)``/``mapped_column(...)`` calls: the type as
PostgreSQL spells it (the SQLAlchemy type is rebuilt from its name and constant arguments and
compiled for PostgreSQL, as ``create_all`` would), ``Enum`` labels, ``unique=True``,
``ForeignKey("table.column")``, ``comment=`` and ``__table_args__``'s ``comment``. A type
that cannot be rebuilt (a custom ``TypeDecorator``, an argument computed at import time) is
reported and its column left out.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy
from sqlalchemy import types as sa_types
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import SQLAlchemyError
from sqlglot import exp
from sqlglot.errors import SqlglotError

from datapact_common.analysis.models_ast import model_tables
from datapact_common.drafting.ddl_types import postgres_kind, postgres_spelling
from datapact_common.engines.base import ColumnInfo, ForeignKeyInfo, Kind, TableInfo

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
            schema.tables[name] = info
    return schema


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
