"""``expression`` constraints: a pure boolean SQL expression over the row's own columns.

The text is parsed with sqlglot (its default, ANSI-like dialect) and accepted only when
every node is on an explicit allow-list: column names, literals, comparisons, ``AND``/
``OR``/``NOT``, ``IS [NOT] NULL``, ``IN (list)``, ``BETWEEN``, ``LIKE``, arithmetic,
``CASE``, ``CAST`` to a plain type and a few deterministic functions (length, lower, upper,
trim, abs, round, floor, ceil, coalesce, substring, concatenation). Anything else —
a sub-query, a function that reads the clock, draws a random number, sleeps or touches
the database (``now()``, ``random()``, ``pg_sleep()``, ``nextval()``) — is refused with the
reason, by the registry, the CLI and the data agent alike, which all validate contracts
through :mod:`datapact_common.contract_schema`.

A row breaks the constraint when the expression is false; when it is NULL (a NULL column
in it) the row does not break it, as a SQL ``CHECK`` constraint reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.expressions.datatypes import DType

# sqlglot (about 25 MB resident) is imported by the first parse, not with this module: every
# service imports the contract schema, few ever see a contract with an expression.

MAX_EXPRESSION_LENGTH = 2000
MAX_NODES = 200


@dataclass(frozen=True)
class _NodeKinds:
    boolean_tops: tuple[type[exp.Expr], ...]
    allowed: tuple[type[exp.Expr], ...]
    cast_types: frozenset[DType]


@lru_cache(maxsize=1)
def _node_kinds() -> _NodeKinds:
    from sqlglot import exp

    boolean_tops: tuple[type[exp.Expr], ...] = (
        exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
        exp.Is, exp.In, exp.Between, exp.Like, exp.ILike, exp.And, exp.Or, exp.Not,
        exp.Boolean,
    )  # fmt: skip
    allowed: tuple[type[exp.Expr], ...] = (
        *boolean_tops,
        exp.Column, exp.Identifier, exp.Literal, exp.Null, exp.Paren, exp.Tuple,
        exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.Neg, exp.DPipe,
        exp.Case, exp.If, exp.Cast, exp.DataType,
        exp.Length, exp.Lower, exp.Upper, exp.Trim, exp.Abs, exp.Round, exp.Floor, exp.Ceil,
        exp.Coalesce, exp.Substring, exp.Concat,
    )  # fmt: skip
    cast_types = frozenset(
        {
            exp.DataType.Type.INT, exp.DataType.Type.BIGINT, exp.DataType.Type.SMALLINT,
            exp.DataType.Type.DECIMAL, exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT,
            exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR, exp.DataType.Type.CHAR,
            exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPTZ,
            exp.DataType.Type.BOOLEAN,
        }
    )  # fmt: skip
    return _NodeKinds(boolean_tops, allowed, cast_types)


@dataclass(frozen=True)
class ParsedExpression:
    """A validated expression: its sqlglot tree and the columns it reads."""

    tree: exp.Expr
    columns: frozenset[str]


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> ParsedExpression:
    """Parse and validate; ``ValueError`` says what is not allowed.

    Results are cached and shared: ``tree.copy()`` before changing the tree."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ValueError(f"expression is longer than {MAX_EXPRESSION_LENGTH} characters")
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        statements = sqlglot.parse(text)
    except (ParseError, TokenError) as exc:
        raise ValueError(f"expression does not parse: {_first_line(exc)}") from exc
    if len(statements) != 1 or statements[0] is None:
        raise ValueError("expression must be a single boolean expression (no ';')")
    tree = statements[0]
    top = tree.unnest()
    if not isinstance(top, _node_kinds().boolean_tops):
        raise ValueError(
            f"expression must be true or false for a row (a comparison, IN, BETWEEN, LIKE, "
            f"IS NULL, AND/OR/NOT), not {top.key.upper()}"
        )
    columns: set[str] = set()
    for count, node in enumerate(tree.walk(), start=1):
        if count > MAX_NODES:
            raise ValueError(f"expression has more than {MAX_NODES} parts")
        _check_node(node)
        if isinstance(node, exp.Column):
            columns.add(node.name)
    return ParsedExpression(tree=tree, columns=frozenset(columns))


def _check_node(node: exp.Expr) -> None:
    from sqlglot import exp

    kinds = _node_kinds()
    if not isinstance(node, kinds.allowed):
        what = node.sql() if isinstance(node, exp.Func) else node.key.upper()
        raise ValueError(
            f"{what!s:.60} is not allowed in an expression: only the row's columns, literals, "
            "comparisons, arithmetic and deterministic functions (length, lower, upper, trim, "
            "abs, round, floor, ceil, coalesce, substring)"
        )
    if isinstance(node, exp.Column):
        if node.table or isinstance(node.this, exp.Star):
            raise ValueError(f"column {node.sql()!r} must be a plain field name of this contract")
    elif isinstance(node, exp.In) and (node.args.get("query") or node.args.get("unnest")):
        raise ValueError("IN takes a list of values, not a sub-query")
    elif isinstance(node, exp.DataType) and node.this not in kinds.cast_types:
        raise ValueError(f"CAST to {node.sql()} is not allowed")
    elif isinstance(node, exp.Literal) and node.is_string and "\x00" in node.this:
        raise ValueError("expression contains a NUL character")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
