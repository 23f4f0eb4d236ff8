"""The code of the task process_events (tasks/process.py): process the due events, a batch
at a time (recipients, decisions, notifications).

Each run locks up to BATCH due events (rows another run holds are skipped), reads their
contracts from the contract-service (cached for a while per process), and turns them into
notifications in one transaction. A full batch queues the next run; events whose contract
could not be read wait with a backoff and a run is queued for when they are due.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from notification_service.celery_app import celery_app
from notification_service.config import get_settings
from notification_service.database import sync_sessionmaker
from notification_service.enqueue import PROCESS_EVENTS_TASK, enqueue_sends
from notification_service.events import repository as events
from notification_service.events.models import Event
from notification_service.events.processing import Item, process_batch
from notification_service.recipients.client import (
    ContractClient,
    ContractServiceUnavailableError,
)
from notification_service.recipients.contract import ContractView

logger = logging.getLogger(__name__)
BATCH = 100
_clients: dict[int, ContractClient] = {}


def contract_client() -> ContractClient:
    client = _clients.get(os.getpid())
    if client is None:
        _clients.clear()
        client = _clients[os.getpid()] = ContractClient(get_settings())
    return client


def read_contracts(
    batch: list[Event],
) -> tuple[dict[str, ContractView | None], str | None]:
    """The batch's contracts. After the first failure the rest are not tried (the service is
    down or sick; each try could cost a full timeout)."""
    client = contract_client()
    found: dict[str, ContractView | None] = {}
    for event in batch:
        if event.contract_name in found:
            continue
        try:
            found[event.contract_name] = client.get(
                event.contract_name, version=event.contract_version
            )
        except ContractServiceUnavailableError as exc:
            return found, str(exc)
    return found, None


def run() -> int:
    """The task ``process_events`` (tasks/process.py)."""
    settings = get_settings()
    with sync_sessionmaker()() as session:
        with session.begin():
            batch = events.lock_due(session, BATCH)
            if not batch:
                return 0
            contracts, error = read_contracts(batch)
            ready = [
                Item(e, contracts[e.contract_name]) for e in batch if e.contract_name in contracts
            ]
            waiting = [e for e in batch if e.contract_name not in contracts]
            for event in waiting:
                delay = settings.backoff_seconds(event.attempts + 1)
                events.schedule_retry(event, error or "", timedelta(seconds=delay))
            pending = process_batch(session, ready, settings)
        if waiting:
            logger.warning("%d event(s) wait for the contract-service: %s", len(waiting), error)
            wake_at_next_retry(session)
    enqueue_sends(pending)
    if len(batch) == BATCH:
        celery_app.send_task(PROCESS_EVENTS_TASK)
    return len(ready)


def wake_at_next_retry(session: Session) -> None:
    due = events.earliest_retry(session)
    if due is not None:
        countdown = max((due - datetime.now(UTC)).total_seconds(), 0.0) + 0.05
        celery_app.send_task(PROCESS_EVENTS_TASK, countdown=countdown)
