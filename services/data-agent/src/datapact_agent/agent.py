"""The agent's work: read the catalogue and measure tables in a bounded thread pool.

Every database call is synchronous and runs in ``AGENT_CONCURRENCY`` worker threads, never
on the event loop; each table is measured on its own connection.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from datapact_agent.checks.plan import TablePlan, plan_tables
from datapact_agent.checks.runner import TableMeasurer, TableResult
from datapact_agent.config import Settings
from datapact_agent.contracts.catalogue import Catalogue
from datapact_agent.metrics.report import dataset_report
from datapact_agent.metrics.schemas import DatasetMetrics, MetricsResponse
from datapact_common.engines.base import Engine, EngineError, TableInfo
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Agent:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.pool = ThreadPoolExecutor(
            max_workers=settings.concurrency, thread_name_prefix="agent-db"
        )
        # /health never queues behind long scans: its own thread (and connection).
        self.health_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agent-health")
        self.measurer = TableMeasurer(engine, settings.sample_size)
        self._cache: tuple[float, tuple[str, ...], dict[str, TableInfo]] | None = None
        self._cache_lock = asyncio.Lock()
        self._running: dict[int, asyncio.Task[MetricsResponse]] = {}
        # The last plans, with the catalogue and live tables they were made from.
        self._plans: tuple[Catalogue, dict[str, TableInfo], list[TablePlan]] | None = None

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, functools.partial(fn, *args))

    async def ping(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.health_pool, self.engine.ping)

    async def catalogue(self, catalogue: Catalogue) -> dict[str, TableInfo]:
        """Every table and view the contracts may name (raises EngineError when unavailable)."""
        schemas = tuple(catalogue.schemas())
        ttl = self.settings.schema_cache_seconds
        if ttl <= 0:
            return await self.run(self.engine.catalogue, schemas)
        async with self._cache_lock:
            cached = self._cache
            if cached and cached[1] == schemas and time.monotonic() - cached[0] < ttl:
                return cached[2]
            tables = await self.run(self.engine.catalogue, schemas)
            self._cache = (time.monotonic(), schemas, tables)
            return tables

    async def metrics(self, catalogue: Catalogue) -> MetricsResponse:
        """One measurement at a time per catalogue: requests arriving while one runs share
        its answer, so a burst of requests (or a caller hammering /metrics) costs the
        database one round of scans, not one per request."""
        key = id(catalogue)
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(self._measure(catalogue))
            self._running[key] = task
            task.add_done_callback(lambda _: self._running.pop(key, None))
        return await asyncio.shield(task)

    async def _measure(self, catalogue: Catalogue) -> MetricsResponse:
        try:
            live = await self.catalogue(catalogue)
        except EngineError as exc:
            return self._unavailable(catalogue, f"database unavailable: {exc}")
        plans = self._plan(catalogue, live)
        measured = await asyncio.gather(
            *(self.run(self.measurer.measure, plan) for plan in plans), return_exceptions=True
        )
        datasets: dict[str, DatasetMetrics] = {}
        for plan, outcome in zip(plans, measured, strict=True):
            result = self._result(plan, outcome)
            for dataset in plan.datasets:
                datasets[dataset.name] = dataset_report(dataset, result, plan.sample_key)
        return MetricsResponse(
            service=self.settings.service_name,
            generated_at=utcnow(),
            datasets={name: datasets[name] for name in catalogue.names},
        )

    def _plan(self, catalogue: Catalogue, live: dict[str, TableInfo]) -> list[TablePlan]:
        """The tables' plans; the last ones while neither the contracts nor the live tables
        changed (planning renders every rule's condition: ~3 ms per 20-field contract).
        Measuring and reporting only read a plan."""
        cached = self._plans
        if cached is not None and cached[0] is catalogue and cached[1] == live:
            return cached[2]
        plans = plan_tables(catalogue.contracts, catalogue.tables, live)
        self._plans = (catalogue, live, plans)
        return plans

    def _result(self, plan: TablePlan, outcome: TableResult | BaseException) -> TableResult:
        if isinstance(outcome, TableResult):
            return outcome
        if isinstance(outcome, EngineError):
            reason = "timed out" if outcome.timed_out else f"database unavailable: {outcome}"
            return TableResult(error=reason)
        if isinstance(outcome, Exception):  # never a 500 for one table: say so, per contract
            logger.exception("measuring %s failed", plan.table, exc_info=outcome)
            return TableResult(error=f"internal error: {type(outcome).__name__}")
        raise outcome

    def _unavailable(self, catalogue: Catalogue, reason: str) -> MetricsResponse:
        plans = plan_tables(catalogue.contracts, catalogue.tables, {})
        datasets: dict[str, DatasetMetrics] = {}
        for plan in plans:
            for dataset in plan.datasets:
                dataset.errors = [reason]
                for rule in dataset.rules:
                    rule.error, rule.skipped = reason, None
                datasets[dataset.name] = dataset_report(dataset, TableResult(), None)
        return MetricsResponse(
            service=self.settings.service_name,
            generated_at=utcnow(),
            datasets={name: datasets[name] for name in catalogue.names},
        )

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.health_pool.shutdown(wait=False, cancel_futures=True)
        self.engine.close()
