"""Relaying outbox rows to the notification service (`POST /api/v1/events`).

At least once: a row is marked delivered only after a 2xx; the notification service
dedupes by event id. A failed row waits ``2**attempts`` seconds (capped) before its
next try, and a relay run stops at the first failure (the peer is probably down).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contract_service.config import Settings
from contract_service.database import unit_of_work
from contract_service.outbox import repository as repo
from contract_service.outbox.models import OutboxEvent
from datapact_common.timeutil import utcnow
from datapact_common.token_source import TokenSource
from datapact_common.tokens import Service

logger = logging.getLogger(__name__)


@dataclass
class RelayResult:
    delivered: int = 0
    failed: int = 0
    retry_in: float | None = None  # seconds until the next undelivered row is due

    def as_dict(self) -> dict[str, Any]:
        return {"delivered": self.delivered, "failed": self.failed, "retry_in": self.retry_in}


def backoff_seconds(attempts: int, cap: float) -> float:
    return float(min(cap, 2 ** min(attempts, 30)))


async def _deliver(
    client: httpx.AsyncClient, url: str, tokens: TokenSource, row: OutboxEvent
) -> str | None:
    """None when delivered, otherwise why not."""
    try:
        response = await client.post(url, json=row.envelope, headers=tokens.headers())
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if response.is_success:
        return None
    return f"HTTP {response.status_code}: {response.text[:500]}"


async def relay_pending(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> RelayResult:
    """Send every due row (in batches, one transaction each) until none is left or one fails."""
    result = RelayResult()
    url = settings.notification_service_url.rstrip("/") + "/api/v1/events"
    # Asked per row: a long run renews the minutes-lived token as it goes.
    tokens = TokenSource(settings.datapact_secret_key, Service.CONTRACTS, Service.NOTIFICATIONS)
    async with httpx.AsyncClient(timeout=settings.outbox_request_timeout_seconds) as client:
        stopped = False
        while not stopped:
            async with unit_of_work(sessionmaker) as session:
                rows = await repo.lock_due(session, utcnow(), settings.outbox_batch_size)
                for row in rows:
                    error = await _deliver(client, url, tokens, row)
                    row.attempts += 1
                    if error is None:
                        row.delivered_at = utcnow()
                        row.last_error = None
                        result.delivered += 1
                        continue
                    row.last_error = error[:2000]
                    wait = backoff_seconds(row.attempts, settings.outbox_max_backoff_seconds)
                    row.next_attempt_at = utcnow() + timedelta(seconds=wait)
                    result.failed += 1
                    logger.warning(
                        "event %s (%s) not delivered, attempt %d, next in %.0fs: %s",
                        row.id, row.event_type, row.attempts, wait, error,
                    )  # fmt: skip
                    stopped = True
                    break
                if len(rows) < settings.outbox_batch_size:
                    stopped = True
        async with unit_of_work(sessionmaker) as session:
            due = await repo.next_due_at(session)
    if due is not None:
        result.retry_in = max(0.0, (due - utcnow()).total_seconds())
    return result
