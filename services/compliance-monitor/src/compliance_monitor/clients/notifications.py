"""Posting events to the notification-service (``POST /api/v1/events``)."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

import httpx

from compliance_monitor.clients.http import RetryPolicy, request
from datapact_common.token_source import TokenSource

log = logging.getLogger(__name__)


class Delivery(StrEnum):
    DELIVERED = "delivered"
    REJECTED = "rejected"  # the envelope itself is refused: retrying cannot help
    RETRY_LATER = "retry_later"


class NotificationClient:
    def __init__(
        self, http: httpx.AsyncClient, base_url: str, tokens: TokenSource, policy: RetryPolicy
    ) -> None:
        self.http = http
        self.url = f"{base_url}/api/v1/events"
        self.policy = policy
        self.tokens = tokens

    async def send(self, envelope: dict[str, Any]) -> Delivery:
        try:
            response = await request(
                self.http,
                self.policy,
                "POST",
                self.url,
                json=envelope,
                headers=self.tokens.headers(),
            )
        except httpx.TransportError as exc:
            log.warning("notification-service unreachable, event %s kept: %s", envelope["id"], exc)
            return Delivery.RETRY_LATER
        if response.status_code < 300:
            return Delivery.DELIVERED
        if response.status_code in (400, 413, 422):
            log.error(
                "notification-service refused event %s (%s): %s",
                envelope["id"],
                response.status_code,
                response.text[:500],
            )
            return Delivery.REJECTED
        log.warning(
            "notification-service answered %s for event %s; kept for the next sweep",
            response.status_code,
            envelope["id"],
        )
        return Delivery.RETRY_LATER
