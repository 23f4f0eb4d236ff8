"""Decide what to measure: contracts + live tables → one plan per table.

A table's plan lists what its one aggregate scan computes (row count, non-null counts,
distinct counts, freshness maxima, and a conditional count per value rule), whatever the
number of contracts on it. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from datapact_agent.checks.rules import (
    Rule,
    RuleKind,
    constraint_rule,
    foreign_key_rule,
    quality_rule,
)
from datapact_common.contract_schema import ContractDefinition, ContractField, MetricType
from datapact_common.engines.base import ColumnInfo, Kind, TableInfo
from datapact_common.pg_types import accepted_types, parse_pg_type, type_matches

DEFAULT_FRESHNESS_COLUMN = "updated_at"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
_MAX_OF = re.compile(r"^max\(\s*([A-Za-z_][A-Za-z0-9_$]*)\s*\)$", re.IGNORECASE)
_DISTINCT_KINDS = set(Kind) - {Kind.OTHER}


@dataclass
class DatasetPlan:
    """What one contract asks to be measured, and what cannot be (``errors``)."""

    contract: ContractDefinition
    table: str
    freshness_column: str
    freshness_measurable: bool = False
    unique_fields: list[str] = field(default_factory=list)
    composite_fields: tuple[str, ...] = ()
    completeness: list[str] = field(default_factory=list)  # fields present in the table
    uniqueness: list[str] = field(default_factory=list)  # unique fields present, comparable
    composite_key: tuple[str, ...] | None = None
    rules: list[Rule] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The parts of its /metrics entry that no measurement changes, made at its first report
    # (``metrics.report``): the plan is not changed once made, and is kept across sweeps.
    report_template: Any = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.contract.name


@dataclass
class TablePlan:
    """What the one aggregate over ``table`` computes (ordered, de-duplicated)."""

    table: str
    info: TableInfo | None
    counts: list[str] = field(default_factory=list)
    distincts: list[str] = field(default_factory=list)
    composites: list[tuple[str, ...]] = field(default_factory=list)
    maxima: list[str] = field(default_factory=list)
    # One conditional count per distinct condition; rules of several contracts share it.
    conditions: list[exp.Expr] = field(default_factory=list)
    condition_params: list[dict[str, Any]] = field(default_factory=list)
    rule_slot: dict[int, int] = field(default_factory=dict)  # id(rule) -> condition index
    datasets: list[DatasetPlan] = field(default_factory=list)
    # (condition's SQL, its sorted parameters) -> condition index: each condition is
    # rendered once, not once per condition already planned.
    slots: dict[tuple[str, tuple[tuple[str, Any], ...]], int] = field(default_factory=dict)
    # The scan's statement as last rendered (dialect, SQL, parameters): the plan is kept
    # while contracts and tables are unchanged, and so is its scan (~9 ms to build and
    # render for a 20-column table with 17 value rules, more than running it).
    rendered_scan: tuple[str, str, dict[str, Any]] | None = None
    # What measuring reads of the rules on every sweep, sorted once (``checks.runner``).
    measuring: Any = field(default=None, repr=False, compare=False)

    def add(self, bucket: list[Any], item: Any) -> None:
        if item not in bucket:
            bucket.append(item)

    def add_condition(self, rule: Rule) -> None:
        assert rule.condition is not None
        key = (rule.condition.sql(), tuple(sorted(rule.params.items(), key=lambda kv: kv[0])))
        index = self.slots.setdefault(key, len(self.conditions))
        self.rule_slot[id(rule)] = index
        if index == len(self.conditions):
            self.conditions.append(rule.condition)
            self.condition_params.append(rule.params)

    @property
    def rules(self) -> list[Rule]:
        return [rule for dataset in self.datasets for rule in dataset.rules]

    @property
    def sample_key(self) -> list[str] | None:
        """The primary key whose values identify a sampled row; None when there is none, or
        when a contract marks one of its columns PII (samples never carry PII)."""
        if self.info is None:
            return None
        key = list(self.info.primary_key)
        if not key:
            for dataset in self.datasets:
                declared = [f.name for f in dataset.contract.schema_fields if f.is_primary_key]
                if declared and all(name in self.info.columns for name in declared):
                    key = declared
                    break
        if not key:
            return None
        for dataset in self.datasets:
            for contract_field in dataset.contract.schema_fields:
                if contract_field.is_pii and contract_field.name in key:
                    return None
        return key


def freshness_column(contract: ContractDefinition) -> tuple[str, str | None]:
    """The column the freshness SLA measures, and an error when it names none."""
    metric = contract.quality_metric(MetricType.FRESHNESS)
    method = (metric.measurement_method or "").strip() if metric else ""
    if not method:
        return DEFAULT_FRESHNESS_COLUMN, None
    if _IDENTIFIER.match(method):
        return method, None
    match = _MAX_OF.match(method)
    if match:
        return match.group(1), None
    return method, (
        f"freshness measurement_method {method!r} does not name a column "
        "(write the column name, e.g. 'updated_at')"
    )


def plan_dataset(
    contract: ContractDefinition,
    table: str,
    info: TableInfo | None,
    tables_of_contracts: dict[str, str],
    live: dict[str, TableInfo],
) -> DatasetPlan:
    column, problem = freshness_column(contract)
    primary = tuple(f.name for f in contract.schema_fields if f.is_primary_key)
    composite = len(primary) > 1
    plan = DatasetPlan(
        contract=contract,
        table=table,
        freshness_column=column,
        unique_fields=[
            f.name
            for f in contract.schema_fields
            if f.unique or (f.is_primary_key and not composite)
        ],
        composite_fields=primary if composite else (),
    )
    if info is None:
        plan.errors.append(f"table '{table}' does not exist")
        plan.rules = _unmeasurable_rules(contract, plan, f"table '{table}' does not exist")
        return plan
    if problem:
        plan.errors.append(problem)
    columns = info.columns
    for contract_field in contract.schema_fields:
        if contract_field.name not in columns:
            plan.errors.append(f"column '{contract_field.name}' does not exist in table '{table}'")
    plan.completeness = [f.name for f in contract.schema_fields if f.name in columns]
    for name in plan.unique_fields:
        if name in columns and columns[name].kind in _DISTINCT_KINDS:
            plan.uniqueness.append(name)
        elif name in columns:
            plan.errors.append(
                f"column '{name}' has type {columns[name].type}, whose values cannot be compared"
            )
    if composite and all(
        name in columns and columns[name].kind in _DISTINCT_KINDS for name in primary
    ):
        plan.composite_key = primary
    _plan_freshness(plan, contract, info, problem)
    plan.rules = _rules(contract, plan, info, tables_of_contracts, live)
    return plan


def _plan_freshness(
    plan: DatasetPlan, contract: ContractDefinition, info: TableInfo, problem: str | None
) -> None:
    column = plan.freshness_column
    has_sla = contract.quality_metric(MetricType.FRESHNESS) is not None
    if problem is None and column in info.columns:
        if info.columns[column].kind is Kind.TEMPORAL:
            plan.freshness_measurable = True
        else:
            plan.errors.append(
                f"freshness column '{column}' has type {info.columns[column].type}, "
                "not a date or timestamp"
            )
    elif problem is None and has_sla:
        plan.errors.append(f"freshness column '{column}' does not exist in table '{plan.table}'")


def _unmeasurable_rules(contract: ContractDefinition, plan: DatasetPlan, reason: str) -> list[Rule]:
    rules = _rules(contract, plan, TableInfo(name=plan.table, columns={}), {}, {})
    for rule in rules:
        rule.condition, rule.skipped, rule.target, rule.verdict = None, None, None, None
        rule.query, rule.distinct = None, None
        rule.error = reason
    return rules


def _rules(
    contract: ContractDefinition,
    plan: DatasetPlan,
    info: TableInfo,
    tables_of_contracts: dict[str, str],
    live: dict[str, TableInfo],
) -> list[Rule]:
    columns = info.columns
    rules: list[Rule] = []
    completeness = contract.quality_metric(MetricType.COMPLETENESS)
    for contract_field in contract.schema_fields:
        name = contract_field.name
        missing = None if name in columns else f"column '{name}' does not exist"
        rules += _catalogue_rules(contract, contract_field, columns.get(name))
        if not contract_field.nullable:
            rules.append(Rule(contract.name, RuleKind.NOT_NULL, (name,), error=missing))
        elif completeness is not None and completeness.applies_to(name):
            # A NOT NULL field's not_null check is stricter than any completeness share.
            rules.append(
                Rule(
                    contract.name,
                    RuleKind.COMPLETENESS,
                    (name,),
                    completeness.threshold,
                    error=missing,
                )
            )
        if name in plan.unique_fields:
            error = missing
            if error is None and name not in plan.uniqueness:
                error = f"values of type {columns[name].type} cannot be compared"
            rules.append(Rule(contract.name, RuleKind.UNIQUE, (name,), error=error))
        expressions = 0
        for constraint in contract_field.constraints:
            index = expressions if str(constraint.type) == "expression" else 0
            expressions += str(constraint.type) == "expression"
            rules.append(constraint_rule(contract, contract_field, constraint, index, columns))
        if contract_field.foreign_key_reference:
            rules.append(
                foreign_key_rule(contract, contract_field, columns, tables_of_contracts, live)
            )
        for index, rule in enumerate(contract_field.quality_rules):
            rules.append(quality_rule(contract, plan.table, name, rule, index, columns))
    if plan.composite_fields:
        error = None
        if plan.composite_key is None:
            error = "a primary-key column does not exist or cannot be compared"
        rules.append(Rule(contract.name, RuleKind.UNIQUE, plan.composite_fields, error=error))
    freshness = contract.quality_metric(MetricType.FRESHNESS)
    if freshness is not None:
        error = None if plan.freshness_measurable else "freshness is not measurable (see errors)"
        check = Rule(contract.name, RuleKind.FRESHNESS, (), freshness.threshold, error=error)
        check.target = (plan.table, plan.freshness_column)
        rules.append(check)
    volume = contract.quality_metric(MetricType.VOLUME)
    if volume is not None:
        rules.append(Rule(contract.name, RuleKind.ROW_COUNT, (), volume.threshold))
    for index, rule in enumerate(contract.quality_rules):
        rules.append(quality_rule(contract, plan.table, None, rule, index, columns))
    return rules


def _catalogue_rules(
    contract: ContractDefinition, contract_field: ContractField, column: ColumnInfo | None
) -> list[Rule]:
    """The column exists; its type is one the field's data type accepts (from the catalogue
    the agent read for this request)."""
    name = contract_field.name
    present = Rule(contract.name, RuleKind.PRESENT, (name,))
    typed = Rule(contract.name, RuleKind.TYPE, (name,), str(contract_field.data_type))
    if column is None:
        present.verdict = (False, f"column '{name}' does not exist")
        typed.error = f"column '{name}' does not exist"
        return [present, typed]
    present.verdict = (True, f"column '{name}' exists")
    written = column.base_type or column.type
    accepted = type_matches(contract_field.data_type, parse_pg_type(written))
    found = f"type {column.type}" + (f" (base {written})" if written != column.type else "")
    if not accepted:
        found += f"; '{contract_field.data_type}' needs {accepted_types(contract_field.data_type)}"
    typed.verdict = (accepted, found)
    return [present, typed]


def plan_tables(
    contracts: list[ContractDefinition] | tuple[ContractDefinition, ...],
    tables_of_contracts: dict[str, str],
    live: dict[str, TableInfo],
) -> list[TablePlan]:
    """Group the contracts by table; each table gets exactly one aggregate scan."""
    tables: dict[str, TablePlan] = {}
    for contract in contracts:
        name = tables_of_contracts[contract.name]
        info = live.get(name)
        table = tables.setdefault(name, TablePlan(table=name, info=info))
        dataset = plan_dataset(contract, name, info, tables_of_contracts, live)
        table.datasets.append(dataset)
        for column in dataset.completeness:
            table.add(table.counts, column)
        for column in dataset.uniqueness:
            table.add(table.distincts, column)
        if dataset.composite_key:
            table.add(table.composites, dataset.composite_key)
        if dataset.freshness_measurable:
            table.add(table.maxima, dataset.freshness_column)
        for rule in dataset.rules:
            if rule.counted_in_scan:
                table.add_condition(rule)
            if rule.distinct and rule.error is None:
                if len(rule.distinct) == 1:
                    table.add(table.distincts, rule.distinct[0])
                else:
                    table.add(table.composites, rule.distinct)
    return list(tables.values())
