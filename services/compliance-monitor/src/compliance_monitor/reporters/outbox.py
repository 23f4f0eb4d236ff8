"""Events wait in a Redis outbox until the notification-service accepts them.

A state change is written to Redis first and its event queued at once; delivery is then
attempted (with retries) and, if the notification-service is down, again after the next
sweep, with the same event id, so the notification-service's de-duplication by id makes
the delivery effectively once.
"""

from __future__ import annotations

import logging

from compliance_monitor.clients.notifications import Delivery, NotificationClient
from compliance_monitor.state import MonitorState
from datapact_common.events import EventEnvelope

log = logging.getLogger(__name__)


class Outbox:
    def __init__(self, state: MonitorState, client: NotificationClient) -> None:
        self.state = state
        self.client = client

    async def add(self, event: EventEnvelope) -> None:
        await self.state.enqueue_event(event.model_dump(mode="json"))

    async def flush(self) -> int:
        """Send what is pending; returns how many were delivered. Stops at the first outage."""
        delivered = 0
        for envelope in await self.state.pending_events():
            outcome = await self.client.send(envelope)
            if outcome is Delivery.RETRY_LATER:
                break
            await self.state.drop_event(str(envelope["id"]))
            if outcome is Delivery.DELIVERED:
                delivered += 1
        return delivered
