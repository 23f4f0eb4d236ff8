"""CHECK constraints read into contract constraints.

A CHECK is parsed with sqlglot in its engine's dialect, the engine's own rewriting undone
(PostgreSQL writes ``x IN ('a')`` back as ``x = ANY (ARRAY['a'::text])`` and ``BETWEEN`` as
two comparisons, adds casts and parentheses), and split on its top-level ``AND``s. Each part
becomes, in this order of preference:

- ``min`` / ``max`` (a numeric column compared with a number; ``> n`` on an integer column is
  ``min: n + 1``), ``min_length`` / ``max_length`` (``length(col)`` compared with a number),
  ``enum`` (``col IN (...)``), ``regex`` (``col ~ 'pattern'``, when every engine reads the
  pattern alike);
- else an ``expression`` on the first field it reads, when the shared expression validator
  accepts it (the registry, the CLI and the agent refuse the same ones);
- else nothing, and the reason is reported ("left out").

A CHECK passes when its condition is NULL, and a contract's value rules never count NULL:
the two agree, part by part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from datapact_common.contract_schema import DataType
from datapact_common.engines.base import CheckInfo
from datapact_common.expressions import parse_expression
from datapact_common.regex_rules import check_regex

_NUMERIC = {DataType.INTEGER, DataType.FLOAT, DataType.DECIMAL}
_TEXT = {DataType.STRING, DataType.ENUM}
_ATOMS: tuple[type[exp.Expr], ...] = (
    exp.Column, exp.Literal, exp.Null, exp.Boolean, exp.Paren, exp.Cast, exp.Array, exp.Tuple,
)  # fmt: skip
_PREDICATES: tuple[type[exp.Expr], ...] = (
    exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is, exp.In, exp.Like, exp.ILike,
    exp.Between, exp.RegexpLike, exp.Not,
)  # fmt: skip
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.DPipe)
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_FLIPPED: dict[type[exp.Expr], type[exp.Expr]] = {
    exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE,
}  # fmt: skip
MAX_CHECK_LENGTH = 4000
MAX_PASSES = 20


@dataclass
class CheckReading:
    """What one CHECK gives: constraints per field, and what could not be kept."""

    constraints: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def read_check(check: CheckInfo, dialect: str, types: Mapping[str, DataType]) -> CheckReading:
    """``check`` as constraints on the contract's fields (``types``: field → data type)."""
    reading = CheckReading()
    shown = _shown(check)
    if not check.validated:
        reading.left_out.append(f"{shown}: declared NOT VALID, existing rows may break it")
        return reading
    if len(check.sql) > MAX_CHECK_LENGTH:
        reading.left_out.append(f"{shown}: longer than {MAX_CHECK_LENGTH} characters")
        return reading
    try:
        tree = sqlglot.parse_one(check.sql, read=dialect)
    except (SqlglotError, RecursionError, ValueError) as exc:
        reading.left_out.append(f"{shown}: not understood ({_first_line(exc)})")
        return reading
    if check.column is not None:
        tree = _value_is(tree, check.column)
    for part in _conjuncts(normalized(tree)):
        json_column = _json_valid(part)
        if json_column is not None:
            reading.left_out.append(
                f"{shown}: MariaDB's JSON type is a longtext checked by json_valid(); "
                f"'{json_column}' is described as a string"
            )
            continue
        converted = _simple(part, types)
        if converted:
            reading.constraints.extend(converted)
            continue
        target, reason = _expression(part, types)
        if target is not None:
            reading.constraints.append(target)
        else:
            reading.left_out.append(f"{shown}: {part.sql()!s:.200} ({reason})")
    return reading


def _shown(check: CheckInfo) -> str:
    text = " ".join(check.sql.split())
    where = f" of the domain of column '{check.column}'" if check.column else ""
    named = f" {check.name}" if check.name else ""
    return f"CHECK{named}{where} ({text:.200})"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _value_is(tree: exp.Expr, column: str) -> exp.Expr:
    """A domain's check: its ``VALUE`` is the column."""

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name.upper() == "VALUE":
            return exp.column(column, quoted=not column.islower())
        return node

    return tree.transform(swap)


def normalized(tree: exp.Expr) -> exp.Expr:
    """The condition as a person would write it: no casts of literals, ``IN`` lists instead of
    ``= ANY (ARRAY[...])``, no parentheses the precedence does not need."""
    # A replaced node's children are not visited in the same pass: repeat until stable.
    for step in (_undo_rewrites, _unparen):
        for _ in range(MAX_PASSES):
            before = tree.sql()
            tree = tree.transform(step)
            if tree.sql() == before:
                break
    return tree


def _undo_rewrites(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Cast):
        inner = _strip_parens(node.this)
        if isinstance(inner, exp.Literal | exp.Array | exp.Null | exp.Column):
            return inner.copy()
        if isinstance(inner, exp.Neg) and isinstance(inner.this, exp.Literal):
            return inner.copy()
    if isinstance(node, exp.EQ | exp.NEQ):
        target = node.expression
        wrapper = exp.Any if isinstance(node, exp.EQ) else exp.All
        if isinstance(target, wrapper):
            items = _strip_parens(target.this)
            if isinstance(items, exp.Cast):
                items = _strip_parens(items.this)
            if isinstance(items, exp.Array):
                listed = exp.In(
                    this=node.this.copy(), expressions=[e.copy() for e in items.expressions]
                )
                return listed if isinstance(node, exp.EQ) else exp.Not(this=listed)
    return node


def _strip_parens(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _unparen(node: exp.Expr) -> exp.Expr:
    if not isinstance(node, exp.Paren):
        return node
    inner: exp.Expr = node.this
    parent = node.parent
    if isinstance(inner, _ATOMS) or parent is None or _is_call(inner):
        return inner
    if isinstance(inner, _PREDICATES) and isinstance(parent, exp.And | exp.Or | exp.Not):
        return inner
    if isinstance(inner, _ARITHMETIC) and isinstance(parent, _COMPARISONS):
        return inner
    if isinstance(inner, exp.Mul | exp.Div | exp.Mod) and isinstance(parent, exp.Add | exp.Sub):
        return inner
    if isinstance(inner, exp.And) and isinstance(parent, exp.And):
        return inner
    if isinstance(inner, exp.Or) and isinstance(parent, exp.Or):
        return inner
    return node


def _is_call(node: exp.Expr) -> bool:
    """A function call (``length(x)``); sqlglot also derives AND/OR and = from Func."""
    return isinstance(node, exp.Func) and not isinstance(node, exp.Binary | exp.Predicate)


def _conjuncts(tree: exp.Expr) -> list[exp.Expr]:
    tree = _strip_parens(tree)
    if isinstance(tree, exp.And):
        return _conjuncts(tree.this) + _conjuncts(tree.expression)
    return [tree]


def _json_valid(part: exp.Expr) -> str | None:
    """The column of ``json_valid(col)``: how MariaDB declares a JSON column."""
    if isinstance(part, exp.Anonymous) and str(part.this).lower() == "json_valid":
        args = part.expressions
    elif type(part).__name__ == "JSONValid":  # sqlglot versions that name the function
        args = [part.this]
    else:
        return None
    only = _strip_parens(args[0]) if len(args) == 1 else None
    return only.name if isinstance(only, exp.Column) else None


def _column(node: exp.Expr, types: Mapping[str, DataType]) -> str | None:
    node = _strip_parens(node)
    if isinstance(node, exp.Column) and not node.table and node.name in types:
        return node.name
    return None


def _number(node: exp.Expr) -> int | float | None:
    node = _strip_parens(node)
    negative = isinstance(node, exp.Neg)
    if negative:
        node = _strip_parens(node.this)
    if not isinstance(node, exp.Literal) or node.is_string:
        return None
    try:
        value: int | float = int(node.this)
    except ValueError:
        try:
            value = float(node.this)
        except ValueError:
            return None
    return -value if negative else value


def _simple(part: exp.Expr, types: Mapping[str, DataType]) -> list[tuple[str, dict[str, Any]]]:
    """The part as min/max/length/enum/regex constraints, or [] when it is not that simple."""
    if isinstance(part, exp.Between):
        name = _column(part.this, types)
        low, high = _number(part.args["low"]), _number(part.args["high"])
        if name and types[name] in _NUMERIC and low is not None and high is not None:
            return [(name, _rule("min", low)), (name, _rule("max", high))]
        return []
    if isinstance(part, exp.In) and not part.args.get("query"):
        return _enum(part, types)
    if isinstance(part, exp.RegexpLike):
        name = _column(part.this, types)
        pattern = _strip_parens(part.expression)
        if name and types[name] in _TEXT and isinstance(pattern, exp.Literal) and pattern.is_string:
            try:
                check_regex(pattern.this)
            except ValueError:
                return []
            return [(name, _rule("regex", pattern.this))]
        return []
    if isinstance(part, tuple(_FLIPPED)):
        return _comparison(part, types)
    return []


def _enum(part: exp.In, types: Mapping[str, DataType]) -> list[tuple[str, dict[str, Any]]]:
    name = _column(part.this, types)
    if name is None:
        return []
    values: list[Any] = []
    for item in part.expressions:
        item = _strip_parens(item)
        if types[name] in _TEXT and isinstance(item, exp.Literal) and item.is_string:
            values.append(item.this)
        elif types[name] in _NUMERIC and (number := _number(item)) is not None:
            values.append(number)
        else:
            return []
    return [(name, _rule("enum", values))] if values else []


def _comparison(part: exp.Expr, types: Mapping[str, DataType]) -> list[tuple[str, dict[str, Any]]]:
    left, right, kind = part.this, part.expression, type(part)
    if _number(left) is not None:  # 0 <= price: the column on the left
        left, right, kind = right, left, _FLIPPED[kind]
    bound = _number(right)
    if bound is None:
        return []
    measured = _strip_parens(left)
    if isinstance(measured, exp.Length):
        name = _column(measured.this, types)
        if name is None or types[name] not in _TEXT or not isinstance(bound, int):
            return []
        lower: dict[type[exp.Expr], int] = {exp.GTE: bound, exp.GT: bound + 1}
        upper: dict[type[exp.Expr], int] = {exp.LTE: bound, exp.LT: bound - 1}
        if kind in lower:
            return [(name, _rule("min_length", max(lower[kind], 0)))]
        maximum = upper.get(kind)
        return (
            [(name, _rule("max_length", maximum))] if maximum is not None and maximum >= 0 else []
        )
    name = _column(measured, types)
    if name is None or types[name] not in _NUMERIC:
        return []
    whole = types[name] is DataType.INTEGER and isinstance(bound, int)
    if kind is exp.GTE or (kind is exp.GT and whole):
        return [(name, _rule("min", bound + (1 if kind is exp.GT else 0)))]
    if kind is exp.LTE or (kind is exp.LT and whole):
        return [(name, _rule("max", bound - (1 if kind is exp.LT else 0)))]
    return []


def _unquoted(part: exp.Expr) -> exp.Expr:
    """Identifiers as plain names where they are lower case (MySQL quotes every one)."""

    def plain(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Identifier) and node.quoted and node.name.islower():
            return exp.to_identifier(node.name, quoted=False)
        return node

    return part.transform(plain)


def _rule(kind: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "value": value}


def _expression(
    part: exp.Expr, types: Mapping[str, DataType]
) -> tuple[tuple[str, dict[str, Any]] | None, str]:
    text = _unquoted(part).sql()
    try:
        parsed = parse_expression(text)
    except ValueError:
        text = part.sql()  # a name that must stay quoted (a keyword, upper case)
        try:
            parsed = parse_expression(text)
        except ValueError as exc:
            return None, str(exc)
    unknown = sorted(parsed.columns - set(types))
    if unknown:
        return None, f"reads column(s) not in the contract: {', '.join(unknown)}"
    first = next((c.name for c in part.find_all(exp.Column) if c.name in types), None)
    if first is None:
        return None, "reads no column"
    return (first, _rule("expression", text)), ""
