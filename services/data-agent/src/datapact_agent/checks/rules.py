"""Every promise of a contract, as a rule the agent can count violations of.

Pure functions: contract + live table → rules, each with the condition a row breaks it by
(a sqlglot expression with named parameters) or the reason it cannot be checked. Nothing
from a contract is pasted into SQL: names become quoted identifiers, values parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlglot import exp

from datapact_common.contract_schema import (
    ConstraintType,
    ContractDefinition,
    ContractField,
    FieldConstraint,
)
from datapact_common.engines.base import ColumnInfo, Kind, TableInfo
from datapact_common.expressions import parse_expression


class RuleKind(StrEnum):
    NOT_NULL = "not_null"
    UNIQUE = "unique"
    MIN = "min"
    MAX = "max"
    MIN_LENGTH = "min_length"
    MAX_LENGTH = "max_length"
    REGEX = "regex"
    ENUM = "enum"
    EXPRESSION = "expression"
    FOREIGN_KEY = "foreign_key"


# Which kinds of column each value rule can compare (the rest is a per-rule error).
_LENGTH_KINDS = {Kind.TEXT, Kind.ENUM}
_PATTERN_KINDS = {Kind.TEXT, Kind.ENUM, Kind.UUID}
_EQUALITY_KINDS = set(Kind) - {Kind.OTHER}


class Params:
    """Named parameters of one statement: p0, p1, ... rendered in the engine's style."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, value: Any) -> exp.Placeholder:
        name = f"p{len(self.values)}"
        self.values[name] = Decimal(repr(value)) if isinstance(value, float) else value
        return exp.Placeholder(this=name)


def ident(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def as_text(column: ColumnInfo) -> exp.Expr:
    node: exp.Expr = ident(column.name)
    return node if column.kind is Kind.TEXT else exp.cast(node, "text")


def comparable(column: ColumnInfo) -> exp.Expr:
    """The column as equality compares it (``json`` has no ``=`` in PostgreSQL)."""
    return as_text(column) if column.kind is Kind.JSON else ident(column.name)


@dataclass
class Rule:
    """One promise about one field (or key), and how a row breaks it."""

    contract: str
    kind: RuleKind
    fields: tuple[str, ...]
    value: Any = None
    index: int = 0  # the n-th expression of a field
    condition: exp.Expr | None = None  # a row breaks the rule when this is true
    params: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    skipped: str | None = None
    # foreign_key: the referenced table and column
    target: tuple[str, str] | None = None

    @property
    def field(self) -> str | None:
        return self.fields[0] if len(self.fields) == 1 else None

    @property
    def id(self) -> str:
        subject = self.fields[0] if len(self.fields) == 1 else f"({', '.join(self.fields)})"
        suffix = f":{self.index}" if self.kind is RuleKind.EXPRESSION else ""
        return f"{subject}:{self.kind}{suffix}"

    @property
    def counted_in_scan(self) -> bool:
        """Counted by the table's one aggregate (as opposed to derived, or its own query)."""
        return self.error is None and self.skipped is None and self.condition is not None


def _cannot_compare(rule: str, column: ColumnInfo) -> str:
    return f"{rule} cannot be checked on column '{column.name}' of type {column.type}"


def constraint_rule(
    contract: ContractDefinition,
    contract_field: ContractField,
    constraint: FieldConstraint,
    index: int,
    columns: dict[str, ColumnInfo],
) -> Rule:
    kind = RuleKind(str(constraint.type))
    rule = Rule(contract.name, kind, (contract_field.name,), constraint.value, index)
    column = columns.get(contract_field.name)
    if column is None:
        rule.error = f"column '{contract_field.name}' does not exist"
        return rule
    params = Params()
    try:
        rule.condition = _condition(constraint, column, columns, params)
    except ValueError as exc:
        rule.error = str(exc)
        return rule
    rule.params = params.values
    return rule


def _condition(
    constraint: FieldConstraint,
    column: ColumnInfo,
    columns: dict[str, ColumnInfo],
    params: Params,
) -> exp.Expr:
    kind, value = constraint.type, constraint.value
    col = ident(column.name)
    if kind in (ConstraintType.MIN, ConstraintType.MAX):
        if column.kind is not Kind.NUMBER:
            raise ValueError(_cannot_compare(str(kind), column))
        bound = params.add(value)
        return (
            exp.LT(this=col, expression=bound)
            if kind is ConstraintType.MIN
            else exp.GT(this=col, expression=bound)
        )
    if kind in (ConstraintType.MIN_LENGTH, ConstraintType.MAX_LENGTH):
        if column.kind not in _LENGTH_KINDS:
            raise ValueError(_cannot_compare(str(kind), column))
        length = exp.Length(this=as_text(column))
        bound = params.add(value)
        if kind is ConstraintType.MIN_LENGTH:
            return exp.LT(this=length, expression=bound)
        return exp.GT(this=length, expression=bound)
    if kind is ConstraintType.REGEX:
        if column.kind not in _PATTERN_KINDS:
            raise ValueError(_cannot_compare("regex", column))
        match = exp.RegexpLike(this=as_text(column), expression=params.add(value))
        return exp.Not(this=match)
    if kind is ConstraintType.ENUM:
        return _outside_enum(column, [v for v in value if v is not None], params)
    return _breaks_expression(str(value), columns, params)


def _outside_enum(column: ColumnInfo, values: list[Any], params: Params) -> exp.Expr:
    if not values:
        raise ValueError("enum lists no value other than null")
    if all(isinstance(v, str) for v in values) and column.kind in _PATTERN_KINDS:
        operand = as_text(column)
    elif (all(isinstance(v, bool) for v in values) and column.kind is Kind.BOOLEAN) or (
        all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        and column.kind is Kind.NUMBER
    ):
        operand = ident(column.name)
    else:
        raise ValueError(
            f"enum values {values!r:.80} cannot be compared with column '{column.name}' "
            f"of type {column.type}"
        )
    listed = exp.In(this=operand, expressions=[params.add(v) for v in values])
    return exp.Not(this=listed)


def _breaks_expression(text: str, columns: dict[str, ColumnInfo], params: Params) -> exp.Expr:
    tree = parse_expression(text).tree.copy()
    missing = sorted({c.name for c in tree.find_all(exp.Column)} - set(columns))
    if missing:
        raise ValueError(f"expression reads column(s) that do not exist: {', '.join(missing)}")

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column):
            return ident(node.name)
        if isinstance(node, exp.Literal) and node.is_string:
            return params.add(node.this)
        if isinstance(node, exp.Mod):  # '%' would clash with the driver's placeholders
            return exp.Anonymous(this="MOD", expressions=[node.this, node.expression])
        return node

    return exp.Not(this=exp.Paren(this=tree.transform(rewrite)))


def foreign_key_rule(
    contract: ContractDefinition,
    contract_field: ContractField,
    columns: dict[str, ColumnInfo],
    tables_of_contracts: dict[str, str],
    live: dict[str, TableInfo],
) -> Rule:
    reference = contract_field.foreign_key_reference or ""
    rule = Rule(contract.name, RuleKind.FOREIGN_KEY, (contract_field.name,), reference)
    target_contract, target_field = reference.split(".", 1)
    column = columns.get(contract_field.name)
    if column is None:
        rule.error = f"column '{contract_field.name}' does not exist"
        return rule
    target_table = tables_of_contracts.get(target_contract)
    if target_table is None:
        rule.skipped = f"contract '{target_contract}' is not served by this agent"
        return rule
    parent = live.get(target_table)
    if parent is None:
        rule.error = f"referenced table '{target_table}' does not exist"
        return rule
    target_column = parent.columns.get(target_field)
    if target_column is None:
        rule.error = f"referenced column '{target_field}' does not exist in '{target_table}'"
        return rule
    if column.kind not in _EQUALITY_KINDS or target_column.kind not in _EQUALITY_KINDS:
        rule.error = _cannot_compare("foreign_key", column)
        return rule
    rule.target = (target_table, target_field)
    return rule
