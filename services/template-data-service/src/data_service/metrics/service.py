"""Compute /metrics: plan per table, run the aggregates with bounded concurrency, report
per dataset. A missing column or table is reported (``errors`` and ``null``), never fatal."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from data_service.catalog.store import Catalog
from data_service.introspection.inspector import inspect_table_columns
from data_service.introspection.service import SchemaService, schemas_of
from data_service.metrics.plan import DatasetPlan, TablePlan, plan_tables
from data_service.metrics.queries import TableAggregate, run_aggregate
from data_service.metrics.schemas import (
    Completeness,
    DatasetMetrics,
    Freshness,
    MetricsResponse,
    Uniqueness,
)
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)

# The schema changed between inspection and the query: re-inspect that table and retry.
_SCHEMA_CHANGED = frozenset({"42703", "42P01"})  # undefined_column, undefined_table


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


class MetricsService:
    def __init__(self, engine: AsyncEngine, schema: SchemaService, concurrency: int) -> None:
        self.engine = engine
        self.schema = schema
        self.concurrency = concurrency

    async def collect(self, service_name: str, catalog: Catalog) -> MetricsResponse:
        live = await self.schema.columns(schemas_of(catalog))
        plans = plan_tables(catalog.contracts, live)
        measured = await self._measure_all(plans)
        datasets: dict[str, DatasetMetrics] = {}
        for plan, aggregate in measured:
            for dataset in plan.datasets:
                datasets[dataset.name] = _report(dataset, aggregate)
        return MetricsResponse(
            service=service_name,
            generated_at=utcnow(),
            datasets={name: datasets[name] for name in catalog.names},
        )

    async def _measure_all(self, plans: list[TablePlan]) -> list[tuple[TablePlan, TableAggregate]]:
        """A small pool of workers, each on one connection, takes the tables one by one."""
        results: list[tuple[TablePlan, TableAggregate]] = [
            (plan, TableAggregate()) for plan in plans
        ]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index, plan in enumerate(plans):
            if plan.info is not None:
                queue.put_nowait(index)

        async def worker() -> None:
            async with self.engine.connect() as connection:
                while not queue.empty():
                    index = queue.get_nowait()
                    results[index] = await self._measure(connection, results[index][0])

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self.concurrency, queue.qsize())):
                    group.create_task(worker())
        except ExceptionGroup as failed:  # e.g. the database went away: one error, not a group
            raise failed.exceptions[0] from None
        return results

    async def _measure(
        self, connection: AsyncConnection, plan: TablePlan
    ) -> tuple[TablePlan, TableAggregate]:
        for attempt in (1, 2):
            try:
                return plan, await run_aggregate(connection, plan)
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                await connection.rollback()  # the failed statement aborted the transaction
                if attempt == 1 and _sqlstate(exc) in _SCHEMA_CHANGED:
                    plan = await self._replan(connection, plan)
                    if plan.info is None:
                        return plan, TableAggregate()
                    continue
                logger.warning("metrics query on %s failed: %s", plan.table, exc.orig)
                return plan, TableAggregate(
                    error=f"metrics query on table '{plan.table}' failed: {exc.orig}"
                )
        raise AssertionError("unreachable")  # pragma: no cover

    async def _replan(self, connection: AsyncConnection, plan: TablePlan) -> TablePlan:
        info = await connection.run_sync(lambda sync: inspect_table_columns(sync, plan.table))
        live = {plan.table: info} if info is not None else {}
        return plan_tables([d.contract for d in plan.datasets], live)[0]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _report(dataset: DatasetPlan, aggregate: TableAggregate) -> DatasetMetrics:
    errors = list(dataset.errors)
    if aggregate.error:
        errors.append(aggregate.error)
    rows = aggregate.row_count
    completeness: dict[str, Completeness | None] = {}
    for name in dataset.contract.field_names:
        non_null = aggregate.non_null.get(name)
        completeness[name] = (
            None
            if rows is None or non_null is None
            else Completeness(non_null=non_null, ratio=_ratio(non_null, rows))
        )
    uniqueness: dict[str, Uniqueness | None] = {}
    for name in dataset.unique_fields:
        distinct = aggregate.distinct.get(name)
        non_null = aggregate.non_null.get(name)
        uniqueness[name] = (
            None
            if distinct is None or non_null is None
            else Uniqueness(
                distinct=distinct, duplicates=non_null - distinct, ratio=_ratio(distinct, non_null)
            )
        )
    if dataset.composite_fields:
        key = dataset.composite_fields
        distinct = aggregate.composite_distinct.get(key)
        uniqueness[f"({', '.join(key)})"] = (
            None
            if distinct is None or rows is None
            else Uniqueness(
                distinct=distinct, duplicates=rows - distinct, ratio=_ratio(distinct, rows)
            )
        )
    latest = aggregate.latest.get(dataset.freshness_column)
    seconds = (
        (aggregate.database_now - latest).total_seconds()
        if latest is not None and aggregate.database_now is not None
        else None
    )
    return DatasetMetrics(
        table=dataset.table,
        row_count=rows,
        freshness=Freshness(
            column=dataset.freshness_column, last_update=latest, seconds_since_update=seconds
        ),
        completeness=completeness,
        uniqueness=uniqueness,
        errors=errors,
    )
