"""Recording and alerting while a sweep is still fetching.

A sweep's results used to wait for its last page: fetching (the data services), recording
(the contract-service) and alert states (Redis) then ran one after another, each leaving
the other processes idle. Here every ``FLUSH_RESULTS`` results go to the contract-service
and to Redis at once, in the background, while the next pages are fetched and checked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from compliance_monitor.checks.base import CheckResult
from compliance_monitor.clients.contracts import ContractServiceClient
from compliance_monitor.monitoring.alerts import AlertPolicy
from compliance_monitor.monitoring.targets import Target

log = logging.getLogger(__name__)

# Results of one background flush (2 requests of the contract-service's 500), and flushes
# under way at once; a sweep checking faster than that waits for one to finish.
FLUSH_RESULTS = 1000
FLUSHES_IN_FLIGHT = 2
# Results whose alert states travel in one Redis round trip.
ALERT_BATCH = 500


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


Observed = tuple[ContractOutcome, CheckResult]


class Recorder:
    """Takes a sweep's results as they are checked; :meth:`close` waits for the last of them.

    A contract counts as recorded when every request that carried its results stored them;
    a Redis outage leaves alert states as they were and loses no recorded result."""

    def __init__(
        self,
        contracts: ContractServiceClient,
        alerts: AlertPolicy,
        sweep_id: str,
    ) -> None:
        self.contracts = contracts
        self.alerts = alerts
        self.sweep_id = sweep_id
        self._pending: list[Observed] = []
        self._flushes: list[asyncio.Task[None]] = []
        self._slots = asyncio.Semaphore(FLUSHES_IN_FLIGHT)
        self._stored: set[str] = set()
        self._lost: set[str] = set()

    async def add(self, outcome: ContractOutcome, results: Sequence[CheckResult]) -> None:
        outcome.results.extend(results)
        self._pending.extend((outcome, result) for result in results)
        if len(self._pending) >= FLUSH_RESULTS:
            await self._flush()

    async def close(self, outcomes: Sequence[ContractOutcome]) -> None:
        await self._flush()
        await asyncio.gather(*self._flushes)
        for outcome in outcomes:
            contract_id = outcome.target.id
            if contract_id in self._stored and contract_id not in self._lost:
                outcome.recorded = len(outcome.results)

    async def _flush(self) -> None:
        if not self._pending:
            return
        await self._slots.acquire()  # cancelled here (a run's budget): nothing is taken yet
        batch, self._pending = self._pending, []
        if not batch:  # another page's flush took them while this one waited
            self._slots.release()
            return
        self._flushes.append(asyncio.ensure_future(self._send(batch)))

    async def _send(self, batch: list[Observed]) -> None:
        try:
            # Recording and alert states need nothing of each other: side by side.
            await asyncio.gather(self._record(batch), self._alert(batch))
        finally:
            self._slots.release()

    async def _record(self, batch: list[Observed]) -> None:
        results = [(o.target.id, r) for o, r in batch if o.target.id]
        if not results:
            return
        stored = await self.contracts.record_batch(self.sweep_id, results)
        self._stored |= stored
        self._lost |= {contract_id for contract_id, _ in results} - stored

    async def _alert(self, batch: list[Observed]) -> None:
        for start in range(0, len(batch), ALERT_BATCH):
            chunk = batch[start : start + ALERT_BATCH]
            try:
                events = await self.alerts.observe_many([(o.target, r) for o, r in chunk])
            except Exception:  # a Redis outage must not lose the recorded results of the sweep
                log.exception("alert states of %d result(s) not updated", len(chunk))
                continue
            for (outcome, _), event in zip(chunk, events, strict=True):
                if event is not None:
                    outcome.events.append(event.type.value)
