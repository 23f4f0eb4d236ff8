"""A sweep: every active contract, grouped by data service, each service read once.

1. Page through every active contract of the contract-service.
2. Group them by data service (``access.endpoint_url``); a service whose host is not in
   ``COMPLIANCE_ALLOWED_HOSTS`` is never contacted (its contracts get an ``error``).
3. Fetch each service's ``/schema`` or ``/metrics`` (or probe ``/health``) once, with bounded
   concurrency, timeouts and retries; run the pure checks for each of its contracts.
4. Record the results through the contract-service (bulk requests under one sweep id) and
   alert on state changes, a batch at a time while later pages are still fetched
   (``monitoring/recorder.py``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextvars import ContextVar
from datetime import timedelta
from enum import StrEnum
from typing import Any, TypeVar

import httpx
from redis.asyncio import Redis

from compliance_monitor.checks import (
    CheckResult,
    check_availability,
    check_completeness,
    check_freshness,
    check_rules,
    check_schema,
    check_uniqueness,
    check_volume,
    protocol_of,
)
from compliance_monitor.checks.base import error_result
from compliance_monitor.checks.quality_common import dataset_metrics
from compliance_monitor.clients.allow_list import endpoint_of
from compliance_monitor.clients.contracts import ContractServiceClient
from compliance_monitor.clients.credentials import CredentialPolicy
from compliance_monitor.clients.data_services import DataServiceClient
from compliance_monitor.clients.http import (
    ResponseError,
    RetryPolicy,
    endpoint_problem,
)
from compliance_monitor.clients.notifications import NotificationClient
from compliance_monitor.config import SERVICE_NAME, Settings
from compliance_monitor.errors import NothingToCheckError
from compliance_monitor.monitoring.alerts import AlertPolicy
from compliance_monitor.monitoring.recorder import ContractOutcome, Recorder
from compliance_monitor.monitoring.run_now import RunNowLimiter
from compliance_monitor.monitoring.targets import Target, quality_checks_for, to_target
from compliance_monitor.reporters.outbox import Outbox
from compliance_monitor.state import MonitorState
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.collector import collector_paused
from datapact_common.exceptions import NotFoundError, PermissionDeniedError
from datapact_common.timeutil import utcnow
from datapact_common.token_source import TokenSource
from datapact_common.tokens import Principal, Service

log = logging.getLogger(__name__)
T = TypeVar("T")
# A run-now's own concurrency limit (set for its task), so it never queues behind the
# shared limit other runs hold; None: the monitor's shared limit (sweeps).
_RUN_LIMIT: ContextVar[asyncio.Semaphore | None] = ContextVar("run_limit", default=None)


class SweepKind(StrEnum):
    SCHEMA = "schema"
    QUALITY = "quality"
    AVAILABILITY = "availability"


ALL_KINDS = (SweepKind.SCHEMA, SweepKind.QUALITY, SweepKind.AVAILABILITY)


def http_client(settings: Settings) -> httpx.AsyncClient:
    """One pooled client; redirects are not followed (an allowed host cannot bounce us away)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.http_timeout),
        limits=httpx.Limits(
            max_connections=settings.concurrency * 2,
            max_keepalive_connections=settings.concurrency,
        ),
        follow_redirects=False,
        headers={"User-Agent": f"datapact-{SERVICE_NAME}"},
    )


class Monitor:
    def __init__(self, settings: Settings, http: httpx.AsyncClient, redis: Redis) -> None:
        self.settings = settings
        policy = RetryPolicy(settings.http_retries, settings.retry_backoff)
        secret = settings.datapact_secret_key
        # One minutes-lived token per API, renewed as it runs out (docs/security.md).
        self.contracts = ContractServiceClient(
            http,
            settings.contract_service_url,
            TokenSource(secret, Service.MONITOR, Service.CONTRACTS),
            policy,
        )
        credentials = CredentialPolicy(
            secret,
            settings.data_service_credentials,
            timedelta(seconds=settings.data_service_credential_ttl),
        )
        self.data = DataServiceClient(http, policy, credentials, settings.http_timeout)
        self.state = MonitorState(redis)
        notifications = TokenSource(secret, Service.MONITOR, Service.NOTIFICATIONS)
        self.outbox = Outbox(
            self.state,
            NotificationClient(http, settings.notification_service_url, notifications, policy),
        )
        self.alerts = AlertPolicy(self.state, self.outbox)
        self._limit = asyncio.Semaphore(settings.concurrency)
        self.run_now = RunNowLimiter(
            settings.run_now_per_team, retry_after=math.ceil(settings.run_now_budget)
        )

    # --- entry points --------------------------------------------------------------------------

    async def sweep(self, kind: SweepKind) -> dict[str, Any]:
        """Check every active contract for one kind; the summary is kept for ``/status``."""
        lock = await self.state.acquire_lock(kind.value, self.settings.sweep_time_limit)
        if lock is None:
            log.info("%s sweep skipped: the previous one is still running", kind)
            return {"kind": kind.value, "skipped": "a sweep of this kind is already running"}
        try:
            started_at = utcnow()
            clock = time.perf_counter()
            with collector_paused():  # half of the monitor's CPU at 10,000 contracts
                documents = await self.contracts.active_contracts(self.settings.page_size)
                phases = {"list_seconds": time.perf_counter() - clock}
                targets = [to_target(d) for d in documents]
                outcomes = await self.check(targets, (kind,), phases=phases)
            delivered = await self.outbox.flush()
            summary = _summary(kind, outcomes, started_at, time.perf_counter() - clock, delivered)
            summary["phases"] = {name: round(value, 3) for name, value in phases.items()}
            await self.state.save_sweep(kind.value, summary)
            log.info("%s sweep: %s", kind, summary)
            return summary
        finally:
            await self.state.release_lock(kind.value, lock)

    async def run_contract(
        self, contract_id: str, principal: Principal | None = None
    ) -> ContractOutcome:
        """Schema, quality and availability of one contract, now.

        With a ``principal``, only the publisher team and admins may ask. At most
        ``MONITOR_RUN_NOW_PER_TEAM`` runs of one publisher team at once (429 beyond), each
        within ``MONITOR_RUN_NOW_BUDGET_SECONDS``.
        """
        document = await self.contracts.contract(contract_id)
        if document is None:
            raise NotFoundError(f"contract {contract_id} not found")
        team = str((document.get("publisher") or {}).get("team"))
        if principal is not None and not principal.can_write_team(team):
            raise PermissionDeniedError(
                f"only the publisher team '{team}' or an admin may run these checks"
            )
        target = to_target(document)
        if target.contract is not None and target.endpoint is None:
            raise NothingToCheckError(
                f"contract '{target.name}' has no access.endpoint_url: nothing to check"
            )
        with self.run_now.admit(team):
            own_limit = _RUN_LIMIT.set(asyncio.Semaphore(self.settings.concurrency))
            try:
                tables = await self._referenced_tables(target)
                [outcome] = await self.check(
                    [target], ALL_KINDS, tables, budget=self.settings.run_now_budget
                )
                await self.outbox.flush()
            finally:
                _RUN_LIMIT.reset(own_limit)
        return outcome

    # --- the work ------------------------------------------------------------------------------

    async def check(
        self,
        targets: list[Target],
        kinds: Iterable[SweepKind],
        table_of_contract: Mapping[str, str] | None = None,
        phases: dict[str, float] | None = None,
        budget: float | None = None,
    ) -> list[ContractOutcome]:
        """Check ``targets``; ``phases`` (if given) receives the seconds spent fetching
        and checking, then recording and alerting.

        ``budget`` bounds fetching and checking as a whole: what did not finish within it
        is an ``error`` (``timed out``), recorded like any other result."""
        clock = time.perf_counter()
        kinds = tuple(kinds)
        tables = dict(table_of_contract or {})
        for target in targets:
            if target.contract is not None:
                tables.setdefault(target.contract.name, target.contract.effective_table)
        outcomes = {t.id: ContractOutcome(t) for t in targets}
        sweep_id = f"{'-'.join(k.value for k in kinds)}-{uuid.uuid4().hex}"
        recorder = Recorder(self.contracts, self.alerts, sweep_id)

        covered: set[str] = set()  # contracts with results of the kind under way

        async def emit(target: Target, results: list[CheckResult]) -> None:
            covered.add(target.id)
            await recorder.add(outcomes[target.id], results)

        by_service: dict[str, list[Target]] = defaultdict(list)
        for target in targets:
            refused = self._refusal(target, kinds)
            if refused is not None:
                await emit(target, refused)
            elif target.endpoint is not None:
                by_service[target.endpoint].append(target)
        finished: list[SweepKind] = []
        try:
            async with asyncio.timeout(budget):
                for kind in kinds:
                    covered.clear()
                    await self._kind(kind, by_service, tables, emit)
                    finished.append(kind)
        except TimeoutError:
            late = tuple(kind for kind in kinds if kind not in finished)
            message = (
                f"timed out: the run did not finish within its budget of {budget} s "
                "(MONITOR_RUN_NOW_BUDGET_SECONDS)"
            )
            partly = set(covered)  # of the kind cut short, these were checked in time
            for base, served in by_service.items():
                for target in served:
                    types = _types(target, late[1:] if target.id in partly else late)
                    await emit(target, [error_result(t, message, endpoint=base) for t in types])
        fetched = time.perf_counter()
        # Pages were recorded while the next ones were fetched: what is left is the tail.
        await recorder.close(list(outcomes.values()))
        if phases is not None:
            phases["fetch_and_check_seconds"] = fetched - clock
            phases["record_and_alert_seconds"] = time.perf_counter() - fetched
        return list(outcomes.values())

    async def _kind(
        self,
        kind: SweepKind,
        by_service: dict[str, list[Target]],
        tables: Mapping[str, str],
        emit: Emit,
    ) -> None:
        if kind is SweepKind.SCHEMA:
            await self._schema(by_service, tables, emit)
        elif kind is SweepKind.QUALITY:
            await self._quality(by_service, emit)
        else:
            await self._availability(by_service, emit)

    def _refusal(self, target: Target, kinds: tuple[SweepKind, ...]) -> list[CheckResult] | None:
        """Results for a contract that must not be polled (None: poll it, [] : skip it)."""
        if target.contract is None:  # reported once per schema sweep, not by every kind
            message = target.problem or "invalid contract document"
            return [error_result(CheckType.SCHEMA, message)] if SweepKind.SCHEMA in kinds else []
        if target.endpoint is None:
            return []  # no data service to poll: not monitored
        problem = endpoint_problem(target.endpoint)
        if problem is not None:
            return [
                error_result(t, problem, endpoint=target.endpoint) for t in _types(target, kinds)
            ]
        endpoint = endpoint_of(target.endpoint)
        if endpoint is not None and self.settings.allowed_hosts.allows(endpoint):
            return None
        message = (
            f"host not allowed: '{endpoint or target.endpoint}' is not in "
            "COMPLIANCE_ALLOWED_HOSTS (host:port); the monitor does not contact it"
        )
        return [error_result(t, message, endpoint=target.endpoint) for t in _types(target, kinds)]

    async def _schema(
        self, by_service: dict[str, list[Target]], tables: Mapping[str, str], emit: Emit
    ) -> None:
        async def checked(base: str, target: Target, document: Mapping[str, Any] | str) -> None:
            contract = target.contract
            assert contract is not None
            if isinstance(document, str):
                result = error_result(CheckType.SCHEMA, f"{base}/schema: {document}", endpoint=base)
            else:
                result = _guarded(
                    CheckType.SCHEMA, base, lambda: check_schema(contract, document, tables)
                )
            await emit(target, [result])

        await self._fetch_pages(by_service, "/schema", _table_of, checked)

    async def _quality(self, by_service: dict[str, list[Target]], emit: Emit) -> None:
        async def checked(base: str, target: Target, document: Mapping[str, Any] | str) -> None:
            await emit(target, _quality_results(base, target, document))

        await self._fetch_pages(by_service, "/metrics", _name_of, checked)

    async def _availability(self, by_service: dict[str, list[Target]], emit: Emit) -> None:
        bases = list(by_service)
        probes = await self._bounded([self.data.probe(base) for base in bases])
        for base, probe in zip(bases, probes, strict=True):
            uptime = await self.state.record_probe(
                probe,
                self.settings.availability_window,
                interval=self.settings.availability_interval,
            )
            for target in by_service[base]:
                assert target.contract is not None
                await emit(target, [check_availability(target.contract, probe, uptime)])

    async def _fetch_pages(
        self,
        by_service: dict[str, list[Target]],
        path: str,
        key_of: Callable[[Target], str],
        checked: Callable[[str, Target, Mapping[str, Any] | str], Awaitable[None]],
    ) -> None:
        """Each service's document, a page at a time, each page's contracts checked as it
        arrives (``checked``): ``path?contracts=`` (or ``?tables=`` for /schema) names the
        contracts (tables) of a page, ``PAGES_IN_FLIGHT`` pages of a service at once. A
        string instead of a document says why that page could not be read, and every
        contract on it is an ``error``.

        A service that answers the first page without ``"paged": true`` does not page: that
        answer is its whole document, for every contract. One that refuses the parameter
        (HTTP 4xx) is asked for its whole document, as before pages."""
        param = PAGE_PARAMS[path]

        async def fetch(base: str, params: dict[str, str] | None) -> Mapping[str, Any] | str:
            try:
                return await self.data.document(base, path, params)
            except ResponseError as exc:
                log.warning("%s%s unreadable: %s", base, path, exc)
                return str(exc)
            except Exception as exc:  # one odd service must not end the sweep for everyone
                log.exception("%s%s could not be fetched", base, path)
                return f"could not be read: {type(exc).__name__}: {exc}"

        async def service(base: str, targets: list[Target]) -> None:
            by_key: dict[str, list[Target]] = defaultdict(list)
            for target in targets:
                by_key[key_of(target)].append(target)

            async def check_page(keys: list[str], document: Mapping[str, Any] | str) -> None:
                for key in keys:
                    for target in by_key[key]:
                        await checked(base, target, document)
                    # Let the recorder's replies in between contracts: a page checked in
                    # one go kept the loop from them for seconds on a loaded machine, and
                    # a Redis read timed out (5 s) with its answer waiting in the socket.
                    await asyncio.sleep(0)

            keys = list(by_key)
            pages = _pages(keys, PAGE_SIZES[path])
            first = await fetch(base, {param: ",".join(pages[0])})
            if isinstance(first, str) and first.startswith("HTTP 4"):
                await check_page(keys, await fetch(base, None))
                return
            if isinstance(first, Mapping) and first.get("paged") is not True:
                await check_page(keys, first)
                return
            limit = asyncio.Semaphore(PAGES_IN_FLIGHT)

            async def page(names: list[str]) -> None:
                async with limit:
                    document = await fetch(base, {param: ",".join(names)})
                await check_page(names, document)  # the next page is fetched meanwhile

            await asyncio.gather(check_page(pages[0], first), *(page(n) for n in pages[1:]))

        await self._bounded([service(base, by_service[base]) for base in by_service])

    async def _bounded(self, jobs: list[Awaitable[T]]) -> list[T]:
        limit = _RUN_LIMIT.get() or self._limit

        async def run(job: Awaitable[T]) -> T:
            async with limit:
                return await job

        return list(await asyncio.gather(*(run(job) for job in jobs)))

    async def _referenced_tables(self, target: Target) -> dict[str, str]:
        """Tables of the contracts this one's foreign keys point at (for the schema check)."""
        if target.contract is None:
            return {}
        names = {
            f.foreign_key_reference.split(".", 1)[0]
            for f in target.contract.schema_fields
            if f.foreign_key_reference
        } - {target.contract.name}
        tables: dict[str, str] = {}
        for name in sorted(names):
            document = await self.contracts.contract_by_name(name)
            referenced = to_target(document).contract if document else None
            if referenced is not None:
                tables[name] = referenced.effective_table
        return tables


R = TypeVar("R", bound=CheckResult | list[CheckResult] | None)
# Where a kind's checks hand each contract's results (the sweep's recorder).
Emit = Callable[[Target, list[CheckResult]], Awaitable[None]]
_QUALITY_CHECKS = (
    (CheckType.FRESHNESS, check_freshness),
    (CheckType.COMPLETENESS, check_completeness),
    (CheckType.UNIQUENESS, check_uniqueness),
    (CheckType.VOLUME, check_volume),
)


def _quality_results(
    base: str, target: Target, document: Mapping[str, Any] | str
) -> list[CheckResult]:
    """A contract's quality results from its page of ``/metrics`` (or why there are none)."""
    contract = target.contract
    assert contract is not None
    if isinstance(document, str):
        message = f"{base}/metrics: {document}"
        return [error_result(t, message, endpoint=base) for t in quality_checks_for(contract)]
    dataset = dataset_metrics(document, contract)
    if dataset is None:
        message = (
            f"{base}/metrics reports no dataset '{contract.name}' "
            "(the service does not publish this contract)"
        )
        return [error_result(t, message, endpoint=base) for t in quality_checks_for(contract)]
    found: list[CheckResult] = []
    for check_type, check in _QUALITY_CHECKS:
        outcome = _guarded(check_type, base, lambda: check(contract, dataset))  # noqa: B023
        if outcome is not None:
            found.append(outcome)
    protocol = protocol_of(document)
    rules = _guarded(CheckType.VALIDITY, base, lambda: check_rules(contract, dataset, protocol))
    found += rules if isinstance(rules, list) else [rules]
    return found


def _guarded(check_type: CheckType, base: str, check: Callable[[], R]) -> R | CheckResult:
    """Run a pure check; a document it cannot cope with is an ``error`` for that contract,
    never an exception that ends the sweep for every other contract."""
    try:
        return check()
    except Exception as exc:
        log.exception("%s check of a document from %s failed", check_type, base)
        message = f"{base}: the data service's answer could not be checked ({type(exc).__name__})"
        return error_result(check_type, message, endpoint=base, exception=str(exc)[:500])


# Pages of a data service's documents: the parameter naming a page, names per page, and a
# bound on their characters (a server reads a request head of 8-16 KiB).
PAGE_PARAMS = {"/metrics": "contracts", "/schema": "tables"}
PAGE_SIZES = {"/metrics": 200, "/schema": 500}
PAGE_CHARS = 6000
PAGES_IN_FLIGHT = 4


def _name_of(target: Target) -> str:
    assert target.contract is not None
    return target.contract.name


def _table_of(target: Target) -> str:
    assert target.contract is not None
    return target.contract.effective_table


def _pages(keys: list[str], size: int) -> list[list[str]]:
    """``keys`` in pages of at most ``size`` names and ``PAGE_CHARS`` characters."""
    pages: list[list[str]] = []
    current: list[str] = []
    chars = 0
    for key in keys:
        if current and (len(current) >= size or chars + len(key) + 1 > PAGE_CHARS):
            pages.append(current)
            current, chars = [], 0
        current.append(key)
        chars += len(key) + 1
    if current:
        pages.append(current)
    return pages


def _types(target: Target, kinds: tuple[SweepKind, ...]) -> list[CheckType]:
    assert target.contract is not None
    types: list[CheckType] = []
    for kind in kinds:
        if kind is SweepKind.SCHEMA:
            types.append(CheckType.SCHEMA)
        elif kind is SweepKind.QUALITY:
            types += quality_checks_for(target.contract)
        else:
            types.append(CheckType.AVAILABILITY)
    return types


def _summary(
    kind: SweepKind,
    outcomes: list[ContractOutcome],
    started_at: Any,
    seconds: float,
    delivered: int,
) -> dict[str, Any]:
    statuses: Counter[str] = Counter()
    failed = errored = checked = 0
    for outcome in outcomes:
        if not outcome.results:
            continue
        checked += 1
        kinds = {r.status for r in outcome.results}
        statuses.update(r.status.value for r in outcome.results)
        if CheckStatus.FAIL in kinds:
            failed += 1
        elif CheckStatus.ERROR in kinds:
            errored += 1
    services = {o.target.endpoint for o in outcomes if o.target.endpoint and o.results}
    return {
        "kind": kind.value,
        "started_at": started_at.isoformat(),
        "finished_at": utcnow().isoformat(),
        "duration_seconds": round(seconds, 3),
        "contracts": len(outcomes),
        "checked": checked,
        "failed": failed,
        "errored": errored,
        "skipped": len(outcomes) - checked,
        "services": len(services),
        "results": {s.value: statuses.get(s.value, 0) for s in CheckStatus},
        "recorded": sum(o.recorded for o in outcomes),
        "events": sum(len(o.events) for o in outcomes),
        "events_delivered": delivered,
    }


async def with_monitor(settings: Settings, work: Callable[[Monitor], Awaitable[T]]) -> T:
    """Run ``work`` with a monitor whose clients live exactly as long as the call."""
    redis = Redis.from_url(settings.redis_url)
    try:
        async with http_client(settings) as http:
            return await work(Monitor(settings, http, redis))
    finally:
        await redis.aclose()
