"""Task: resolve an event's recipients and create its notifications (once)."""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta

from notification_service.celery_app import celery_app
from notification_service.config import get_settings
from notification_service.database import sync_sessionmaker
from notification_service.events import repository as events
from notification_service.events.processing import process
from notification_service.recipients.client import ContractClient, ContractServiceUnavailableError
from notification_service.tasks.enqueue import enqueue_sends

logger = logging.getLogger(__name__)
_clients: dict[int, ContractClient] = {}


def contract_client() -> ContractClient:
    client = _clients.get(os.getpid())
    if client is None:
        _clients.clear()
        client = _clients[os.getpid()] = ContractClient(get_settings())
    return client


@celery_app.task(name="notifications.process_event")
def process_event(event_id: str) -> None:
    settings = get_settings()
    key = uuid.UUID(event_id)
    maker = sync_sessionmaker()
    with maker() as session:
        event = events.get_sync(session, key)
        if event is None or event.processed_at is not None:
            return
        name, version, attempts = event.contract_name, event.contract_version, event.attempts
    try:
        contract = contract_client().get(name, version=version)
    except ContractServiceUnavailableError as exc:
        # Never lost: the row stays unprocessed; we retry with backoff, the sweep as backstop.
        delay = settings.backoff_seconds(attempts + 1)
        logger.warning("event %s: %s; retrying in %.1fs", event_id, exc, delay)
        with maker() as session, session.begin():
            events.schedule_retry(session, key, str(exc), timedelta(seconds=delay))
        process_event.apply_async((event_id,), countdown=delay)
        return
    with maker() as session, session.begin():
        locked = events.lock_unprocessed(session, key)
        if locked is None:
            return  # processed meanwhile, or another worker holds it right now
        pending = process(session, locked, contract, settings)
    enqueue_sends(pending)
