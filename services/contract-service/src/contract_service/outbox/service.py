"""Writing events into the outbox (same transaction as the change) and waking the relay."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.background import spawn
from contract_service.enqueue import RELAY_TASK, contract_queue
from contract_service.outbox.models import OutboxEvent
from datapact_common.db import after_commit
from datapact_common.events import EventEnvelope
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)


def enqueue(session: AsyncSession, envelope: EventEnvelope) -> None:
    """Store ``envelope`` with the current transaction; the relay sends it after commit."""
    session.add(
        OutboxEvent(
            id=envelope.id,
            event_type=str(envelope.type),
            contract_name=envelope.contract_name,
            envelope=envelope.model_dump(mode="json"),
            created_at=envelope.occurred_at,
            attempts=0,
            next_attempt_at=utcnow(),
        )
    )
    after_commit(session, kick_relay)


def kick_relay() -> None:
    """Queue a relay run now, without waiting for the broker (publishing happens in a
    thread). If the broker is down, the periodic relay catches up."""
    spawn(
        contract_queue.send_in_thread(
            RELAY_TASK,
            catch_up="the periodic relay will send it",
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    )
