"""Decide what to measure: contracts + live columns -> one aggregate per table.

Pure functions (no I/O), so the rules are easy to read and test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, DateTime

from data_service.introspection.inspector import TableInfo
from datapact_common.contract_schema import ContractDefinition, MetricType

DEFAULT_FRESHNESS_COLUMN = "updated_at"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
_MAX_OF = re.compile(r"^max\(\s*([A-Za-z_][A-Za-z0-9_$]*)\s*\)$", re.IGNORECASE)


@dataclass
class DatasetPlan:
    """What one contract asks to be measured, and what cannot be (``errors``)."""

    contract: ContractDefinition
    table: str
    freshness_column: str
    freshness_measurable: bool = False
    # Every field the contract marks unique (a single-column primary key included) and,
    # for a primary key over several fields, that combination.
    unique_fields: list[str] = field(default_factory=list)
    composite_fields: tuple[str, ...] = ()
    # What the aggregate can measure: the subset of the above present in the live table.
    completeness: list[str] = field(default_factory=list)
    uniqueness: list[str] = field(default_factory=list)
    composite_key: tuple[str, ...] | None = None
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.contract.name


@dataclass
class TablePlan:
    """The columns one aggregate query over ``table`` must cover (ordered, de-duplicated)."""

    table: str
    info: TableInfo | None
    counts: list[str] = field(default_factory=list)
    distincts: list[str] = field(default_factory=list)
    composites: list[tuple[str, ...]] = field(default_factory=list)
    maxima: list[str] = field(default_factory=list)
    datasets: list[DatasetPlan] = field(default_factory=list)

    def add(self, bucket: list[Any], item: Any) -> None:
        if item not in bucket:
            bucket.append(item)


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


def _is_temporal(info: TableInfo, column: str) -> bool:
    return isinstance(info.columns[column].sqltype, DateTime | Date)


def plan_dataset(contract: ContractDefinition, info: TableInfo | None) -> DatasetPlan:
    table = contract.effective_table
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
        plan.missing = contract.field_names
        return plan
    if problem:
        plan.errors.append(problem)
    for contract_field in contract.schema_fields:
        if contract_field.name not in info.columns:
            plan.missing.append(contract_field.name)
            plan.errors.append(f"column '{contract_field.name}' does not exist in table '{table}'")
    plan.completeness = [f.name for f in contract.schema_fields if f.name in info.columns]
    plan.uniqueness = [name for name in plan.unique_fields if name in info.columns]
    if composite and all(name in info.columns for name in primary):
        plan.composite_key = primary
    has_sla = contract.quality_metric(MetricType.FRESHNESS) is not None
    if problem is None and column in info.columns:
        if _is_temporal(info, column):
            plan.freshness_measurable = True
        else:
            plan.errors.append(
                f"freshness column '{column}' has type {info.columns[column].type}, "
                "not a date or timestamp"
            )
    elif problem is None and has_sla:
        plan.errors.append(f"freshness column '{column}' does not exist in table '{table}'")
    return plan


def plan_tables(
    contracts: list[ContractDefinition] | tuple[ContractDefinition, ...],
    live: dict[str, TableInfo],
) -> list[TablePlan]:
    """Group the contracts by table; each table gets exactly one aggregate query."""
    tables: dict[str, TablePlan] = {}
    for contract in contracts:
        name = contract.effective_table
        info = live.get(name)
        table = tables.setdefault(name, TablePlan(table=name, info=info))
        dataset = plan_dataset(contract, info)
        table.datasets.append(dataset)
        for column in dataset.completeness:
            table.add(table.counts, column)
        for column in dataset.uniqueness:
            table.add(table.distincts, column)
        if dataset.composite_key:
            table.add(table.composites, dataset.composite_key)
        if dataset.freshness_measurable:
            table.add(table.maxima, dataset.freshness_column)
    return list(tables.values())
