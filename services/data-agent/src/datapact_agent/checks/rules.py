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

from datapact_common.cached import cached_attribute
from datapact_common.contract_schema import (
    ConstraintType,
    ContractDefinition,
    ContractField,
    FieldConstraint,
)
from datapact_common.engines.base import ColumnInfo, Kind, TableInfo
from datapact_common.expressions import parse_expression
from datapact_common.quality_rules import (
    OBJECT_PLACEHOLDER,
    PROPERTY_PLACEHOLDER,
    LibraryMetric,
    QualityRule,
    RuleType,
    parse_rule_query,
)


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
    # Checks of the catalogue and of the SLAs, each its own evaluated condition.
    PRESENT = "present"  # the column exists
    TYPE = "type"  # its type is one the field's data_type accepts
    COMPLETENESS = "completeness"  # non-null share >= the completeness SLA
    FRESHNESS = "freshness"  # the newest row is younger than the freshness SLA
    ROW_COUNT = "row_count"  # the rows are within the volume SLA's range
    QUALITY = "quality"  # an ODCS quality rule (library metric or sql)


# Kinds judged by a pass/fail of their own (``passed``), not by a count of breaking rows.
JUDGED_KINDS = frozenset(
    {
        RuleKind.PRESENT,
        RuleKind.TYPE,
        RuleKind.COMPLETENESS,
        RuleKind.FRESHNESS,
        RuleKind.ROW_COUNT,
        RuleKind.QUALITY,
    }
)
TABLE_SUBJECT = "(table)"  # the id subject of a table-level check


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
    # quality: the ODCS rule; its distinct-count key (duplicateValues); its query (sql)
    quality: QualityRule | None = None
    distinct: tuple[str, ...] | None = None
    query: exp.Query | None = None
    # present/type: judged from the catalogue when planned (passed, what was found)
    verdict: tuple[bool, str] | None = None

    # Both read for every rule of every report (10 % of a sweep's reporting as properties);
    # what they are made of never changes once a rule is made. Not functools'
    # cached_property: its lock, shared by every rule, stalled the event loop (cached.py).
    @cached_attribute
    def field(self) -> str | None:
        return self.fields[0] if len(self.fields) == 1 else None

    @cached_attribute
    def id(self) -> str:
        if not self.fields:
            subject = TABLE_SUBJECT
        elif len(self.fields) == 1:
            subject = self.fields[0]
        else:
            subject = f"({', '.join(self.fields)})"
        indexed = self.kind in (RuleKind.EXPRESSION, RuleKind.QUALITY)
        suffix = f":{self.index}" if indexed else ""
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


# -- ODCS quality rules ------------------------------------------------------------------------


def quality_rule(
    contract: ContractDefinition,
    table: str,
    field_name: str | None,
    quality: QualityRule,
    index: int,
    columns: dict[str, ColumnInfo],
) -> Rule:
    """A library rule as what the table's one scan counts (a condition, or a count it
    already makes), or a sql rule as its own statement over the table."""
    fields = (field_name,) if field_name else ()
    rule = Rule(contract.name, RuleKind.QUALITY, fields, quality.to_odcs(), index, quality=quality)
    if field_name is not None and field_name not in columns:
        rule.error = f"column '{field_name}' does not exist"
        return rule
    column = columns[field_name] if field_name is not None else None
    try:
        if quality.type is RuleType.SQL:
            rule.query = _rule_query(str(quality.query), table, field_name)
        elif quality.metric is LibraryMetric.DUPLICATE_VALUES:
            key = tuple((quality.arguments or {}).get("properties") or fields)
            missing = [name for name in key if name not in columns]
            if missing:
                raise ValueError(f"column(s) {', '.join(missing)} do not exist")
            for name in key:
                if columns[name].kind not in _EQUALITY_KINDS:
                    raise ValueError(_cannot_compare("duplicateValues", columns[name]))
            rule.distinct = key
        elif quality.metric in (LibraryMetric.MISSING_VALUES, LibraryMetric.INVALID_VALUES):
            assert column is not None
            params = Params()
            rule.condition = _library_condition(quality, column, params)
            rule.params = params.values
    except ValueError as exc:
        rule.error = str(exc)
    return rule


def _typed(values: list[Any], column: ColumnInfo) -> list[Any]:
    """The listed values a column of this kind can hold (others can never be found in it)."""
    if column.kind in _PATTERN_KINDS:
        return [v for v in values if isinstance(v, str)]
    if column.kind is Kind.NUMBER:
        return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if column.kind is Kind.BOOLEAN:
        return [v for v in values if isinstance(v, bool)]
    return []


def _library_condition(quality: QualityRule, column: ColumnInfo, params: Params) -> exp.Expr:
    arguments = quality.arguments or {}
    operand = as_text(column) if column.kind in _PATTERN_KINDS else ident(column.name)
    is_null = exp.Is(this=ident(column.name), expression=exp.Null())
    if quality.metric is LibraryMetric.MISSING_VALUES:
        listed = _typed([v for v in arguments["missingValues"] if v is not None], column)
        if not listed:
            return is_null
        found = exp.In(this=operand, expressions=[params.add(v) for v in listed])
        return exp.Or(this=is_null, expression=found)
    pattern = arguments.get("pattern")
    if pattern is not None:
        if column.kind not in _PATTERN_KINDS:
            raise ValueError(_cannot_compare("invalidValues pattern", column))
        return exp.Not(this=exp.RegexpLike(this=as_text(column), expression=params.add(pattern)))
    valid = [v for v in arguments["validValues"] if v is not None]
    typed = _typed(valid, column)
    if not typed:
        raise ValueError(
            f"validValues {valid!r:.80} cannot be compared with column '{column.name}' "
            f"of type {column.type}"
        )
    present = exp.Not(this=is_null)
    outside = exp.Not(this=exp.In(this=operand, expressions=[params.add(v) for v in typed]))
    return exp.And(this=present, expression=outside)


def _rule_query(text: str, table: str, field_name: str | None) -> exp.Query:
    """The rule's query with ``${object}`` as the contract's table and ``${property}`` as
    the field, as quoted identifiers."""
    tree = parse_rule_query(text).tree.copy()

    def place(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and node.name == OBJECT_PLACEHOLDER:
            schema, dot, name = table.rpartition(".")
            return exp.Table(
                this=exp.to_identifier(name, quoted=True),
                db=exp.to_identifier(schema, quoted=True) if dot else None,
                alias=node.args.get("alias"),
            )
        if isinstance(node, exp.Column) and node.name == PROPERTY_PLACEHOLDER:
            if field_name is None:
                raise ValueError("${property} names no field on a table rule")
            return ident(field_name)
        return node

    placed = tree.transform(place)
    assert isinstance(placed, exp.Query)
    return placed
