"""The statements, built as sqlglot trees and rendered for the engine's dialect.

- :func:`aggregate` — the table's one scan: every count, distinct count, maximum and
  conditional count of its plan in a single ``SELECT`` without ``GROUP BY``.
- :func:`samples` — after the scan, only when some rule found violations: the primary keys
  of breaking rows, one streamed ``SELECT ... WHERE c1 OR c2 ...`` the agent stops reading
  as soon as it holds enough keys for every rule.
- :func:`duplicate_samples`, :func:`orphans`, :func:`orphan_samples` — a uniqueness rule's
  duplicated rows and a foreign key's orphans need a ``GROUP BY`` or an anti-join: one
  statement each (the samples only when there are violations).

Identifiers are quoted sqlglot identifiers; every value is a named parameter. Rendering a
tree for another sqlglot dialect (Snowflake, BigQuery, Redshift ...) is a setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlglot import exp

from datapact_agent.checks.plan import TablePlan
from datapact_agent.checks.rules import comparable, ident
from datapact_common.engines.base import ColumnInfo, Kind, TableInfo

# Dialects whose driver takes named parameters as ``%(name)s`` although sqlglot writes
# another style for them (PyMySQL: sqlglot's MySQL writes ``:name``).
_PYFORMAT = frozenset({"mysql"})


def _pyformat(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Placeholder):
        return exp.Var(this=f"%({node.name})s")
    return node


def _mysql_regex(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.RegexpLike):
        # MariaDB has no REGEXP_LIKE; both have REGEXP_INSTR. A pattern matches as the
        # contract means it, case-sensitively whatever the column's collation: (?-i) first
        # (a pattern's own leading (?i) still wins).
        pattern = exp.Concat(expressions=[exp.Literal.string("(?-i)"), node.expression])
        found = exp.Anonymous(this="REGEXP_INSTR", expressions=[node.this, pattern])
        return exp.GT(this=found, expression=exp.Literal.number(0))
    return node


def render(tree: exp.Expr, dialect: str, *, owned: bool = False) -> str:
    """The statement in ``dialect``, named parameters in the style its driver takes.

    ``owned``: the tree was built for this one statement and is not used again, so it is
    rendered without the defensive copy (a table's scan: thousands of nodes per table)."""
    if dialect in _PYFORMAT:
        tree = tree.transform(_mysql_regex, copy=not owned).transform(_pyformat, copy=False)
        owned = True
    return tree.sql(dialect=dialect, copy=not owned)


def table_ref(name: str, alias: str | None = None) -> exp.Table:
    schema, dot, table = name.rpartition(".")
    ref = exp.Table(
        this=exp.to_identifier(table, quoted=True),
        db=exp.to_identifier(schema, quoted=True) if dot else None,
    )
    return ref.as_(alias) if alias else ref  # type: ignore[return-value]


def namespaced(
    condition: exp.Expr, params: dict[str, Any], prefix: str
) -> tuple[exp.Expr, dict[str, Any]]:
    """The condition with its parameters renamed ``<prefix><name>`` (unique in a statement)."""

    def rename(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder):
            return exp.Placeholder(this=f"{prefix}{node.name}")
        return node

    # transform() works on a copy: the plan's condition stays as it was.
    return condition.transform(rename), {f"{prefix}{k}": v for k, v in params.items()}


def _count_if(condition: exp.Expr) -> exp.Expr:
    """``COUNT(CASE WHEN condition THEN 1 END)`` around a condition of its own (not copied)."""
    case = exp.Case().when(condition, exp.Literal.number(1), copy=False)
    return exp.Count(this=case)


def _as(node: exp.Expr, alias: str) -> exp.Expr:
    """``node AS alias`` around a node built for this statement (no copy of it)."""
    return exp.alias_(node, alias, copy=False)


def key_of(info: TableInfo) -> frozenset[str]:
    """The primary key whose uniqueness a PostgreSQL scan of the table may rely on: declared
    on a plain table that is no partition and that no table inherits from (a scan reads
    their rows too), of columns compared as declared (none read as text). Empty otherwise.
    """
    key = info.primary_key
    if (
        info.kind != "table"
        or info.partition_of is not None
        or info.has_children
        or not key
        or not all(c in info.columns and info.columns[c].kind is not Kind.JSON for c in key)
    ):
        return frozenset()
    return frozenset(key)


def _distinct_count(
    columns: dict[str, ColumnInfo], names: Sequence[str], key: frozenset[str]
) -> exp.Expr:
    """``COUNT(DISTINCT ...)`` of the columns; without the DISTINCT when they hold the whole
    primary key ``key``: the rows counted are then distinct already. A distinct count counts
    the rows whose columns are all non-null (sqlglot writes PostgreSQL's for several columns
    as ``COUNT(DISTINCT CASE WHEN a IS NULL THEN NULL ... ELSE (a, b) END)``), and so does
    the count written here; the key's columns are NOT NULL."""
    if not key or not key <= set(names):
        return exp.Count(this=exp.Distinct(expressions=[comparable(columns[c]) for c in names]))
    nullable = [c for c in names if c not in key]
    if not nullable:
        return exp.Count(this=ident(names[0]))
    if len(nullable) == 1:
        return exp.Count(this=ident(nullable[0]))
    present: exp.Expr = exp.Not(this=exp.Is(this=ident(nullable[0]), expression=exp.Null()))
    for column in nullable[1:]:
        present = exp.And(
            this=present, expression=exp.Not(this=exp.Is(this=ident(column), expression=exp.Null()))
        )
    return _count_if(present)


def aggregate(plan: TablePlan, *, keyed: bool = False) -> tuple[exp.Select, dict[str, Any]]:
    """``keyed``: distinct counts a primary key implies are counted without the DISTINCT
    (:func:`key_of`; PostgreSQL only)."""
    assert plan.info is not None
    columns = plan.info.columns
    key = key_of(plan.info) if keyed else frozenset()
    items: list[exp.Expr] = [
        _as(exp.Count(this=exp.Star()), "row_count"),
        _as(exp.CurrentTimestamp(), "database_now"),
    ]
    items += [_as(exp.Count(this=ident(c)), f"n{i}") for i, c in enumerate(plan.counts)]
    items += [
        _as(_distinct_count(columns, (c,), key), f"d{i}") for i, c in enumerate(plan.distincts)
    ]
    items += [
        _as(_distinct_count(columns, key_columns, key), f"k{i}")
        for i, key_columns in enumerate(plan.composites)
    ]
    items += [_as(exp.Max(this=ident(c)), f"m{i}") for i, c in enumerate(plan.maxima)]
    params: dict[str, Any] = {}
    for i, (condition, values) in enumerate(
        zip(plan.conditions, plan.condition_params, strict=True)
    ):
        renamed, renamed_params = namespaced(condition, values, f"v{i}")
        params |= renamed_params
        items.append(_as(_count_if(renamed), f"v{i}"))
    return exp.select(*items).from_(table_ref(plan.table), copy=False), params


def single_count(
    table: str, condition: exp.Expr, params: dict[str, Any]
) -> tuple[exp.Select, dict[str, Any]]:
    """One conditional count alone (when the table's scan failed, to find the culprit)."""
    renamed, renamed_params = namespaced(condition, params, "v0")
    return exp.select(exp.alias_(_count_if(renamed), "v0")).from_(table_ref(table)), renamed_params


def samples(
    plan: TablePlan, key: Sequence[str], slots: Sequence[int], null_columns: Sequence[str] = ()
) -> tuple[exp.Select, dict[str, Any]]:
    """Key columns, then one 0/1 flag per condition slot and per column whose NULLs break a
    NOT NULL promise, of the rows breaking any of them."""
    params: dict[str, Any] = {}
    conditions: list[exp.Expr] = []
    for position, slot in enumerate(slots):
        renamed, renamed_params = namespaced(
            plan.conditions[slot], plan.condition_params[slot], f"s{position}"
        )
        params |= renamed_params
        conditions.append(renamed)
    conditions += [exp.Is(this=ident(column), expression=exp.Null()) for column in null_columns]
    flags = [
        exp.alias_(
            exp.Case().when(c.copy(), exp.Literal.number(1)).else_(exp.Literal.number(0)),
            f"f{position}",
        )
        for position, c in enumerate(conditions)
    ]
    where: exp.Expr = exp.Paren(this=conditions[0].copy())
    for condition in conditions[1:]:
        where = exp.Or(this=where, expression=exp.Paren(this=condition.copy()))
    statement = exp.select(*(ident(k) for k in key), *flags).from_(table_ref(plan.table))
    return statement.where(where), params


def duplicate_samples(
    table: str, key: Sequence[str], columns: Sequence[ColumnInfo], limit: int
) -> exp.Select:
    """Key values of up to ``limit`` rows whose value (or combination) appears more than once."""
    values = [comparable(c) for c in columns]
    present = [exp.Not(this=exp.Is(this=ident(c.name), expression=exp.Null())) for c in columns]
    condition: exp.Expr = present[0]
    for more in present[1:]:
        condition = exp.And(this=condition, expression=more)
    repeated = (
        exp.select(*(v.copy() for v in values))
        .from_(table_ref(table))
        .where(condition)
        .group_by(*(v.copy() for v in values))
        .having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)))
    )
    subject = values[0] if len(values) == 1 else exp.Tuple(expressions=values)
    return (
        exp.select(*(ident(k) for k in key))
        .from_(table_ref(table))
        .where(exp.In(this=subject, query=exp.Subquery(this=repeated)))
        .limit(limit)
    )


def _orphan_condition(child_column: str, parent: str, parent_column: str) -> exp.Expr:
    child_value = exp.column(child_column, table="c", quoted=True)
    parent_value = exp.column(parent_column, table="p", quoted=True)
    match = (
        exp.select(exp.Literal.number(1))
        .from_(table_ref(parent, "p"))
        .where(exp.EQ(this=parent_value, expression=child_value))
    )
    return exp.And(
        this=exp.Not(this=exp.Is(this=child_value.copy(), expression=exp.Null())),
        expression=exp.Not(this=exp.Exists(this=match)),
    )


def orphans(child: str, child_column: str, parent: str, parent_column: str) -> exp.Select:
    """How many non-null references find no row in the referenced table (one anti-join)."""
    return (
        exp.select(exp.alias_(exp.Count(this=exp.Star()), "orphans"))
        .from_(table_ref(child, "c"))
        .where(_orphan_condition(child_column, parent, parent_column))
    )


def orphan_samples(
    child: str, child_column: str, parent: str, parent_column: str, key: Sequence[str], limit: int
) -> exp.Select:
    return (
        exp.select(*(exp.column(k, table="c", quoted=True) for k in key))
        .from_(table_ref(child, "c"))
        .where(_orphan_condition(child_column, parent, parent_column))
        .limit(limit)
    )
