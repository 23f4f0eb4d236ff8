"""A sweep: every active contract, grouped by data service, each service read once.

1. Page through every active contract of the contract-service.
2. Group them by data service (``access.endpoint_url``); a service whose host is not in
   ``COMPLIANCE_ALLOWED_HOSTS`` is never contacted (its contracts get an ``error``).
3. Fetch each service's ``/schema`` or ``/metrics`` (or probe ``/health``) once, with bounded
   concurrency, timeouts and retries; run the pure checks for each of its contracts.
4. Record every result through the contract-service (a few bulk requests under one sweep
   id) and alert on state changes.
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
from dataclasses import dataclass, field
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
from compliance_monitor.monitoring.run_now import RunNowLimiter
from compliance_monitor.monitoring.targets import Target, quality_checks_for, to_target
from compliance_monitor.reporters.outbox import Outbox
from compliance_monitor.state import MonitorState
from datapact_common.checks import CheckStatus, CheckType
from datapact_common.exceptions import NotFoundError, PermissionDeniedError
from datapact_common.timeutil import utcnow
from datapact_common.token_source import TokenSource
from datapact_common.tokens import Principal, Service

log = logging.getLogger(__name__)
T = TypeVar("T")
# A run-now's own concurrency limit (set for its task), so it never queues behind the
# shared limit other runs hold; None: the monitor's shared limit (sweeps).
_RUN_LIMIT: ContextVar[asyncio.Semaphore | None] = ContextVar("run_limit", default=None)
# Results whose alert states travel in one Redis pipeline.
ALERT_BATCH = 500


class SweepKind(StrEnum):
    SCHEMA = "schema"
    QUALITY = "quality"
    AVAILABILITY = "availability"


ALL_KINDS = (SweepKind.SCHEMA, SweepKind.QUALITY, SweepKind.AVAILABILITY)


@dataclass
class ContractOutcome:
    target: Target
    results: list[CheckResult] = field(default_factory=list)
    recorded: int = 0
    events: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "contract_id": self.target.id,
            "contract_name": self.target.name,
            "endpoint": self.target.endpoint,
            "results": [r.as_dict() for r in self.results],
            "recorded": self.recorded,
            "events": self.events,
        }


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
            documents = await self.contracts.active_contracts(self.settings.page_size)
            phases = {"list_seconds": time.perf_counter() - clock}
            outcomes = await self.check([to_target(d) for d in documents], (kind,), phases=phases)
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
        by_service: dict[str, list[Target]] = defaultdict(list)
        for target in targets:
            refused = self._refusal(target, kinds)
            if refused is not None:
                outcomes[target.id].results.extend(refused)
            elif target.endpoint is not None:
                by_service[target.endpoint].append(target)
        finished: list[SweepKind] = []
        try:
            async with asyncio.timeout(budget):
                for kind in kinds:
                    for target, result in await self._kind(kind, by_service, tables):
                        outcomes[target.id].results.append(result)
                    finished.append(kind)
        except TimeoutError:
            late = tuple(kind for kind in kinds if kind not in finished)
            message = (
                f"timed out: the run did not finish within its budget of {budget} s "
                "(MONITOR_RUN_NOW_BUDGET_SECONDS)"
            )
            for base, served in by_service.items():
                for target in served:
                    outcomes[target.id].results += [
                        error_result(t, message, endpoint=base) for t in _types(target, late)
                    ]
        fetched = time.perf_counter()
        # Recording (the contract-service) and alert states (Redis) need nothing of each
        # other: side by side, the sweep waits for the slower one only.
        await asyncio.gather(
            self._record(list(outcomes.values()), kinds), self._alert(list(outcomes.values()))
        )
        if phases is not None:
            phases["fetch_and_check_seconds"] = fetched - clock
            phases["record_and_alert_seconds"] = time.perf_counter() - fetched
        return list(outcomes.values())

    async def _kind(
        self, kind: SweepKind, by_service: dict[str, list[Target]], tables: Mapping[str, str]
    ) -> list[tuple[Target, CheckResult]]:
        if kind is SweepKind.SCHEMA:
            return await self._schema(by_service, tables)
        if kind is SweepKind.QUALITY:
            return await self._quality(by_service)
        return await self._availability(by_service)

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
        self, by_service: dict[str, list[Target]], tables: Mapping[str, str]
    ) -> list[tuple[Target, CheckResult]]:
        documents = await self._fetch_pages(by_service, "/schema", _table_of)
        found: list[tuple[Target, CheckResult]] = []
        for base, targets in by_service.items():
            for target in targets:
                contract = target.contract
                assert contract is not None
                document = documents[base][_table_of(target)]
                if isinstance(document, str):
                    result = error_result(
                        CheckType.SCHEMA, f"{base}/schema: {document}", endpoint=base
                    )
                else:
                    result = _guarded(
                        CheckType.SCHEMA,
                        base,
                        lambda: check_schema(contract, document, tables),  # noqa: B023
                    )
                found.append((target, result))
        return found

    async def _quality(
        self, by_service: dict[str, list[Target]]
    ) -> list[tuple[Target, CheckResult]]:
        documents = await self._fetch_pages(by_service, "/metrics", _name_of)
        found: list[tuple[Target, CheckResult]] = []
        for base, targets in by_service.items():
            for target in targets:
                contract = target.contract
                assert contract is not None
                document = documents[base][_name_of(target)]
                wanted = quality_checks_for(contract)
                if isinstance(document, str):
                    message = f"{base}/metrics: {document}"
                    found += [(target, error_result(t, message, endpoint=base)) for t in wanted]
                    continue
                dataset = dataset_metrics(document, contract)
                if dataset is None:
                    message = (
                        f"{base}/metrics reports no dataset '{contract.name}' "
                        "(the service does not publish this contract)"
                    )
                    found += [(target, error_result(t, message, endpoint=base)) for t in wanted]
                    continue
                for check_type, check in (
                    (CheckType.FRESHNESS, check_freshness),
                    (CheckType.COMPLETENESS, check_completeness),
                    (CheckType.UNIQUENESS, check_uniqueness),
                    (CheckType.VOLUME, check_volume),
                ):
                    outcome = _guarded(
                        check_type,
                        base,
                        lambda: check(contract, dataset),  # noqa: B023
                    )
                    if outcome is not None:
                        found.append((target, outcome))
                protocol = protocol_of(document)
                rules = _guarded(
                    CheckType.VALIDITY,
                    base,
                    lambda: check_rules(contract, dataset, protocol),  # noqa: B023
                )
                found += [(target, r) for r in (rules if isinstance(rules, list) else [rules])]
        return found

    async def _availability(
        self, by_service: dict[str, list[Target]]
    ) -> list[tuple[Target, CheckResult]]:
        bases = list(by_service)
        probes = await self._bounded([self.data.probe(base) for base in bases])
        found: list[tuple[Target, CheckResult]] = []
        for base, probe in zip(bases, probes, strict=True):
            uptime = await self.state.record_probe(
                probe,
                self.settings.availability_window,
                interval=self.settings.availability_interval,
            )
            for target in by_service[base]:
                assert target.contract is not None
                found.append((target, check_availability(target.contract, probe, uptime)))
        return found

    async def _fetch_pages(
        self, by_service: dict[str, list[Target]], path: str, key_of: Callable[[Target], str]
    ) -> dict[str, dict[str, Mapping[str, Any] | str]]:
        """Each service's document, a page at a time: ``path?contracts=`` (or ``?tables=``
        for /schema) names the contracts (tables) of a page, ``PAGES_IN_FLIGHT`` pages of a
        service at once. Returns, per service, each contract's (table's) page; a string says
        why that page could not be read, and every contract on it is an ``error``.

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

        async def service(base: str, targets: list[Target]) -> dict[str, Mapping[str, Any] | str]:
            keys = list(dict.fromkeys(key_of(target) for target in targets))
            pages = _pages(keys, PAGE_SIZES[path])
            first = await fetch(base, {param: ",".join(pages[0])})
            if isinstance(first, str) and first.startswith("HTTP 4"):
                whole = await fetch(base, None)
                return dict.fromkeys(keys, whole)
            if isinstance(first, Mapping) and first.get("paged") is not True:
                return dict.fromkeys(keys, first)
            found = dict.fromkeys(pages[0], first)
            limit = asyncio.Semaphore(PAGES_IN_FLIGHT)

            async def page(names: list[str]) -> None:
                async with limit:
                    document = await fetch(base, {param: ",".join(names)})
                found.update(dict.fromkeys(names, document))

            await asyncio.gather(*(page(names) for names in pages[1:]))
            return found

        bases = list(by_service)
        documents = await self._bounded([service(base, by_service[base]) for base in bases])
        return dict(zip(bases, documents, strict=True))

    async def _record(self, outcomes: list[ContractOutcome], kinds: tuple[SweepKind, ...]) -> None:
        """Every result of the sweep, in a few bulk requests under one sweep id."""
        sweep_id = f"{'-'.join(k.value for k in kinds)}-{uuid.uuid4().hex}"
        results = [(o.target.id, r) for o in outcomes if o.target.id for r in o.results]
        if not results:
            return
        stored = await self.contracts.record_batch(sweep_id, results)
        for outcome in outcomes:
            if outcome.target.id in stored:
                outcome.recorded = len(outcome.results)

    async def _alert(self, outcomes: list[ContractOutcome]) -> None:
        """Every result's alert state, ``ALERT_BATCH`` results per Redis round trip."""
        observed = [(outcome, result) for outcome in outcomes for result in outcome.results]
        for start in range(0, len(observed), ALERT_BATCH):
            chunk = observed[start : start + ALERT_BATCH]
            try:
                events = await self.alerts.observe_many([(o.target, r) for o, r in chunk])
            except Exception:  # a Redis outage must not lose the recorded results of the sweep
                log.exception("alert states of %d result(s) not updated", len(chunk))
                continue
            for (outcome, _), event in zip(chunk, events, strict=True):
                if event is not None:
                    outcome.events.append(event.type.value)

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
