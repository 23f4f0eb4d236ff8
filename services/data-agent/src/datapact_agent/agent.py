"""The agent's work: read the catalogue and measure tables in a bounded thread pool.

Every database call is synchronous and runs in ``AGENT_CONCURRENCY`` worker threads, never
on the event loop; up to ``TABLES_PER_SESSION`` tables share a connection (and, on
PostgreSQL, one pipeline of scans).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from datapact_agent.checks.plan import TablePlan, plan_tables
from datapact_agent.checks.runner import TableMeasurer, TableResult
from datapact_agent.config import Settings
from datapact_agent.contracts.catalogue import Catalogue, ContractStore
from datapact_agent.contracts.registry import RegistryStore
from datapact_agent.metrics.report import dataset_report, metrics_document
from datapact_common.collector import freeze_survivors, thaw
from datapact_common.engines.base import Engine, EngineError, TableInfo
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Tables measured on one connection, their scans sent together (one round trip on
# PostgreSQL): a session per table cost a pool checkout, its pre-ping and a rollback (3.6 ms
# a table at load 8), and a scan's round trip most of its 5.5 ms.
TABLES_PER_SESSION = 50
# Tables planned (and their scans rendered) per step of the start-up warm-up.
WARM_TABLES = 100
# A page may be answered from a catalogue read up to this many AGENT_PAGE_CATALOGUE_SECONDS
# ago while a newer one is read in the background.
STALE_READS = 3


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
        self._refresh: asyncio.Future[None] | None = None
        self._running: dict[tuple[int, tuple[str, ...] | None], asyncio.Task[dict[str, Any]]] = {}
        # The plans made so far (table -> plan), with the catalogue and live tables they
        # were made from.
        self._plans: tuple[Catalogue, dict[str, TableInfo], dict[str, TablePlan]] | None = None
        self._warming: asyncio.Future[None] | None = None
        # Set while no /metrics request is being measured: the warm-up waits for it.
        self._idle = asyncio.Event()
        self._idle.set()
        self._measuring = 0

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, functools.partial(fn, *args))

    async def ping(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.health_pool, self.engine.ping)

    async def catalogue(self, catalogue: Catalogue, max_age: float = 0.0) -> dict[str, TableInfo]:
        """Every table and view the contracts may name (raises EngineError when unavailable).

        ``max_age``: a catalogue read that long ago will do (the pages of one sweep share
        one read: 0.8 s for 1,000 tables here, 14-20 s for 10,000 at load 7). Past it, a
        page is answered from the last read while the next one is made in the background,
        as long as that read is younger than ``STALE_READS`` times ``max_age``: a sweep's
        pages never all wait for a re-read."""
        schemas = tuple(catalogue.schemas())
        ttl = max(self.settings.schema_cache_seconds, max_age)
        if ttl <= 0:
            return await self.run(self.engine.catalogue, schemas)
        cached = self._cache
        if cached and cached[1] == schemas:
            age = time.monotonic() - cached[0]
            if age < ttl:
                return cached[2]
            if max_age > 0 and age < ttl * STALE_READS:
                if self._refresh is None or self._refresh.done():
                    self._refresh = asyncio.ensure_future(self._refresh_catalogue(schemas, ttl))
                return cached[2]
        return await self._read_catalogue(schemas, ttl)

    async def _refresh_catalogue(self, schemas: tuple[str, ...], ttl: float) -> None:
        try:
            await self._read_catalogue(schemas, ttl)
        except EngineError as exc:  # the next page past STALE_READS reads (and fails) itself
            logger.warning("catalogue not read again: %s", exc)

    async def _read_catalogue(self, schemas: tuple[str, ...], ttl: float) -> dict[str, TableInfo]:
        async with self._cache_lock:
            cached = self._cache
            if cached and cached[1] == schemas and time.monotonic() - cached[0] < ttl:
                return cached[2]
            read_at = time.monotonic()
            tables = await self.run(self.engine.catalogue, schemas)
            self._cache = (read_at, schemas, tables)
            return tables

    async def metrics(self, catalogue: Catalogue) -> dict[str, Any]:
        """Every contract. One measurement at a time per catalogue: requests arriving while
        one runs share its answer, so a burst of requests (or a caller hammering /metrics)
        costs the database one round of scans, not one per request."""
        return await self._shared(catalogue, None)

    async def metrics_page(self, catalogue: Catalogue, names: list[str]) -> dict[str, Any]:
        """The contracts ``names`` only (those the catalogue does not hold are left out):
        only their tables are measured, on a catalogue read at most
        ``AGENT_PAGE_CATALOGUE_SECONDS`` ago. A request for a page being measured shares
        that measurement: a monitor retrying a page it gave up on (its timeout) must not
        start a second one beside the first, which still runs."""
        return await self._shared(catalogue, tuple(names))

    async def _shared(self, catalogue: Catalogue, names: tuple[str, ...] | None) -> dict[str, Any]:
        key = (id(catalogue), names)
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(
                self._measure(catalogue, None if names is None else list(names))
            )
            self._running[key] = task
            task.add_done_callback(lambda _: self._running.pop(key, None))
        return await asyncio.shield(task)

    async def _measure(self, catalogue: Catalogue, names: list[str] | None) -> dict[str, Any]:
        self._measuring += 1
        self._idle.clear()
        try:
            return await self._measured(catalogue, names)
        finally:
            self._measuring -= 1
            if not self._measuring:
                self._idle.set()

    async def _measured(self, catalogue: Catalogue, names: list[str] | None) -> dict[str, Any]:
        paged = names is not None
        wanted = catalogue.names if names is None else _known(catalogue, names)
        try:
            live = await self.catalogue(
                catalogue, self.settings.page_catalogue_seconds if paged else 0.0
            )
        except EngineError as exc:
            return self._unavailable(catalogue, wanted, f"database unavailable: {exc}", paged)
        tables = list(dict.fromkeys(catalogue.tables[name] for name in wanted))
        plans = await self._plan(catalogue, live, tables)
        measured = await self._measure_plans(plans)
        asked = set(wanted)
        datasets: dict[str, Any] = {}
        for plan, outcome in zip(plans, measured, strict=True):
            result = self._result(plan, outcome)
            sample_key = plan.sample_key
            for dataset in plan.datasets:
                if dataset.name in asked:
                    datasets[dataset.name] = dataset_report(dataset, result, sample_key)
        return metrics_document(
            self.settings.service_name,
            utcnow(),
            {name: datasets[name] for name in wanted},
            paged=paged,
        )

    async def _measure_plans(self, plans: list[TablePlan]) -> list[TableResult | BaseException]:
        """Every table, ``TABLES_PER_SESSION`` on one connection, spread over the pool
        (a few tables: one each, so they still run side by side)."""
        size = max(1, min(TABLES_PER_SESSION, len(plans) // self.settings.concurrency))
        chunks = [plans[start : start + size] for start in range(0, len(plans), size)]
        outcomes = await asyncio.gather(
            *(self.run(self.measurer.measure_many, chunk) for chunk in chunks),
            return_exceptions=True,
        )
        measured: list[TableResult | BaseException] = []
        for chunk, outcome in zip(chunks, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                measured += [outcome] * len(chunk)
            else:
                measured += outcome
        return measured

    async def _plan(
        self, catalogue: Catalogue, live: dict[str, TableInfo], tables: list[str]
    ) -> list[TablePlan]:
        """The plans of ``tables``, each made once while neither the contracts nor the live
        tables change (planning renders every rule's condition: ~3 ms per 20-field
        contract). A table's plan holds every contract on it, whichever page asked.
        Measuring and reporting only read a plan. Planning runs in a worker thread, so the
        event loop keeps answering (other pages, /health) meanwhile."""
        plans = self._plan_cache(catalogue, live)
        missing = [table for table in tables if table not in plans]
        if missing:
            contracts = [c for table in missing for c in catalogue.by_table[table]]
            for plan in await self.run(plan_tables, contracts, catalogue.tables, live):
                plans.setdefault(plan.table, plan)  # another page may have planned it too
            freeze_survivors()  # kept plans: out of the collector's passes
        return [plans[table] for table in tables]

    def _plan_cache(self, catalogue: Catalogue, live: dict[str, TableInfo]) -> dict[str, TablePlan]:
        """The plans made from ``catalogue`` and ``live`` so far (a new, empty cache when
        either changed)."""
        cached = self._plans
        if cached is not None and cached[0] is catalogue and cached[1] is live:
            return cached[2]
        if cached is None or cached[0] is not catalogue or cached[1] != live:
            if cached is not None:
                thaw()  # the old plans (frozen) may go: let the collector see them again
            cached = (catalogue, live, {})
        else:  # a new read of the same tables: the plans stand, and the next page
            cached = (catalogue, live, cached[2])  # compares identities only (10,000: 0.14 s)
        self._plans = cached
        return cached[2]

    def start_warmup(self, store: ContractStore | RegistryStore) -> None:
        if self.settings.warmup_active:
            self._warming = asyncio.ensure_future(self.warm(store))

    async def warm(self, store: ContractStore | RegistryStore) -> None:
        """Plan every table and render its scan, in worker threads, ``WARM_TABLES`` at a
        time (10,000 20-field contracts: ~12 ms each, 2 minutes of CPU), so the first sweep
        after start-up finds them made. A request meanwhile plans what it needs itself, and
        the warm-up waits until no request is being measured: sharing the CPU with it, the
        first sweep's pages timed out at the monitor."""
        try:
            catalogue = await store.current()
            live = await self.catalogue(catalogue, self.settings.page_catalogue_seconds)
            tables = list(catalogue.by_table)
            for start in range(0, len(tables), WARM_TABLES):
                await self._idle.wait()
                chunk = tables[start : start + WARM_TABLES]
                contracts = [c for table in chunk for c in catalogue.by_table[table]]
                plans = await self.run(plan_tables, contracts, catalogue.tables, live)
                await self.run(self.measurer.render_scans, plans)
                cache = self._plan_cache(catalogue, live)
                for plan in plans:
                    cache.setdefault(plan.table, plan)
                freeze_survivors()
            logger.info("warm-up: %d table(s) planned", len(tables))
        except asyncio.CancelledError:
            raise
        except Exception:  # the requests plan for themselves
            logger.warning("warm-up stopped", exc_info=True)

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

    def _unavailable(
        self, catalogue: Catalogue, wanted: list[str], reason: str, paged: bool
    ) -> dict[str, Any]:
        contracts = [catalogue.by_name[name] for name in wanted]
        plans = plan_tables(contracts, catalogue.tables, {})
        datasets: dict[str, Any] = {}
        for plan in plans:
            for dataset in plan.datasets:
                dataset.errors = [reason]
                for rule in dataset.rules:
                    rule.error, rule.skipped = reason, None
                datasets[dataset.name] = dataset_report(dataset, TableResult(), None)
        return metrics_document(
            self.settings.service_name,
            utcnow(),
            {name: datasets[name] for name in wanted},
            paged=paged,
        )

    def close(self) -> None:
        for background in (self._warming, self._refresh):
            if background is not None:
                background.cancel()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.health_pool.shutdown(wait=False, cancel_futures=True)
        self.engine.close()


def _known(catalogue: Catalogue, names: list[str]) -> list[str]:
    """``names`` the catalogue holds, each once, in the order asked."""
    return [name for name in dict.fromkeys(names) if name in catalogue.by_name]
