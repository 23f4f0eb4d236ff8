"""SQLAlchemy model files read with ``ast``: tables and columns, to diff base against head.

Understood: classes with ``__tablename__`` (``__table_args__`` schema too), SQLAlchemy 2
``Mapped[...]`` attributes with or without ``mapped_column(...)``, classic ``Column(...)``
attributes, and columns inherited from mixins defined in the same file. Nullability follows
SQLAlchemy's rules: ``Mapped[X | None]``/``Optional`` is nullable, ``Mapped[X]`` is not, an
explicit ``nullable=`` wins, primary keys are never null, a bare ``Column`` is nullable.
"""

from __future__ import annotations

import ast
from typing import Any

from datapact_common.analysis.changes import ColumnSpec, FileProblem
from datapact_common.analysis.table_model import TableDef, Tables
from datapact_common.analysis.type_map import data_type_for, data_type_for_python

_COLUMN_FACTORIES = {"Column", "mapped_column"}
_NOT_TYPES = {"ForeignKey", "Sequence", "Identity", "Computed", "FetchedValue", "CheckConstraint"}


def looks_like_models(text: str) -> bool:
    return "__tablename__" in text


def model_tables(text: str, path: str) -> tuple[Tables, list[FileProblem]]:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return {}, [FileProblem(path, exc.lineno or 1, f"Python syntax error: {exc.msg}")]
    except (ValueError, RecursionError, MemoryError) as exc:
        return {}, [FileProblem(path, 1, f"Python source not readable: {type(exc).__name__}")]
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    tables: Tables = {}
    problems: list[FileProblem] = []
    for cls in classes.values():
        name_and_line = _tablename(cls)
        if name_and_line is None:
            if _declares_table(cls):
                problems.append(
                    FileProblem(
                        path,
                        cls.lineno,
                        f"model {cls.name}: table name or definition not understood "
                        "(a computed __tablename__, or __table__); it is not checked",
                        statement=ast.dump(cls),
                    )
                )
            continue
        name, line = name_and_line
        schema = _table_schema(cls)
        qualified = f"{schema}.{name}" if schema else name
        table = TableDef(qualified, line)
        for spec, column_line in _columns(cls, classes, set()):
            table.add(spec, column_line)
        tables[qualified.lower()] = table
    return tables, problems


def _declares_table(cls: ast.ClassDef) -> bool:
    """A class that maps a table this reader cannot name (``__tablename__`` computed by a
    ``declared_attr``, or an imperative ``__table__ = Table(...)``)."""
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__tablename__":
            return True
        if _assigned(node, "__tablename__") is not None or _assigned(node, "__table__"):
            return True
    return False


def _tablename(cls: ast.ClassDef) -> tuple[str, int] | None:
    for node in cls.body:
        value = _assigned(node, "__tablename__")
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value, node.lineno
    return None


def _assigned(node: ast.stmt, name: str) -> ast.expr | None:
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in node.targets
    ):
        return node.value
    if (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == name
    ):
        return node.value
    return None


def _table_schema(cls: ast.ClassDef) -> str | None:
    for node in cls.body:
        value = _assigned(node, "__table_args__")
        if isinstance(value, ast.Tuple) and value.elts:
            value = value.elts[-1]
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "schema"
                    and isinstance(item, ast.Constant)
                    and isinstance(item.value, str)
                ):
                    return item.value
    return None


def _columns(
    cls: ast.ClassDef, classes: dict[str, ast.ClassDef], seen: set[str]
) -> list[tuple[ColumnSpec, int]]:
    seen.add(cls.name)
    inherited: list[tuple[ColumnSpec, int]] = []
    for base in cls.bases:
        base_name = base.id if isinstance(base, ast.Name) else None
        base_cls = classes.get(base_name or "")
        if base_cls is None or base_cls.name in seen or _tablename(base_cls) is not None:
            continue
        inherited.extend(_columns(base_cls, classes, seen))
    own = [c for c in (_column(node) for node in cls.body) if c is not None]
    own_names = {spec.name.lower() for spec, _ in own}
    return [c for c in inherited if c[0].name.lower() not in own_names] + own


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    if isinstance(node, ast.Subscript):
        return _dotted(node.value)
    return ""


def _short(node: ast.expr) -> str:
    return _dotted(node).rsplit(".", 1)[-1]


def _column(node: ast.stmt) -> tuple[ColumnSpec, int] | None:
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        attr, annotation, value = node.target.id, node.annotation, node.value
    elif (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
    ):
        attr, annotation, value = node.targets[0].id, None, node.value
    else:
        return None
    if attr.startswith("__"):
        return None
    mapped = _mapped_inner(annotation)
    factory = value if isinstance(value, ast.Call) and _short(value) in _COLUMN_FACTORIES else None
    if factory is None and (value is not None or mapped is None):
        return None  # relationship(), column_property(), plain class attributes
    return _spec(attr, mapped, factory), node.lineno


def _mapped_inner(annotation: ast.expr | None) -> ast.expr | None:
    if annotation is None:
        return None
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(annotation, ast.Subscript) and _short(annotation.value) == "Mapped":
        inner = annotation.slice
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            try:
                return ast.parse(inner.value, mode="eval").body
            except SyntaxError:
                return None
        return inner
    return None


def _optional(inner: ast.expr) -> tuple[ast.expr, bool]:
    """(the non-None type, whether None is allowed) of ``X | None``/``Optional[X]``."""
    if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.BitOr):
        parts = [inner.left, inner.right]
        rest = [p for p in parts if not (isinstance(p, ast.Constant) and p.value is None)]
        if len(rest) < len(parts) and rest:
            return rest[0], True
    if isinstance(inner, ast.Subscript) and _short(inner.value) in ("Optional", "Union"):
        args = inner.slice.elts if isinstance(inner.slice, ast.Tuple) else [inner.slice]
        rest = [a for a in args if not (isinstance(a, ast.Constant) and a.value is None)]
        if _short(inner.value) == "Optional" or len(rest) < len(args):
            return (rest[0] if rest else inner), True
    return inner, False


def _keyword(call: ast.Call, name: str) -> Any:
    for keyword in call.keywords:
        if keyword.arg == name:
            if isinstance(keyword.value, ast.Constant):
                return keyword.value.value
            return keyword.value
    return None


def _spec(attr: str, mapped: ast.expr | None, factory: ast.Call | None) -> ColumnSpec:
    name = attr
    raw_type: str | None = None
    data_type = None
    nullable = True
    if mapped is not None:
        inner, optional = _optional(mapped)
        nullable = optional
        raw_type = ast.unparse(inner)
        data_type = data_type_for_python(_short(inner))
    primary_key = False
    has_default = False
    if factory is not None:
        args = list(factory.args)
        first = args[0] if args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            name = first.value
            args = args[1:]
        type_node = next(
            (a for a in args if _short(a) and _short(a) not in _NOT_TYPES), None
        ) or _keyword_node(factory, "type_")
        if type_node is not None:
            raw_type = ast.unparse(type_node)
            data_type = data_type_for(_dotted(type_node)) or data_type
        primary_key = _keyword(factory, "primary_key") is True
        has_default = any(
            _keyword_node(factory, k) is not None for k in ("server_default", "default")
        )
        explicit = _keyword(factory, "nullable")
        if isinstance(explicit, bool):
            nullable = explicit
        elif mapped is None:
            nullable = True
    if primary_key:
        nullable = False
    return ColumnSpec(name, raw_type, data_type, nullable, primary_key, has_default)


def _keyword_node(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)
