"""Slack incoming webhook (https://api.slack.com/messaging/webhooks)."""

from __future__ import annotations

import httpx

from notification_service.channels.base import (
    DeliveryError,
    NotificationChannel,
    OutgoingMessage,
    PermanentDeliveryError,
)
from notification_service.config import Settings


class SlackChannel(NotificationChannel):
    name = "slack"

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self._url = settings.slack_webhook_url
        self._http = httpx.Client(timeout=settings.slack_timeout_seconds, transport=transport)

    def send(self, message: OutgoingMessage) -> None:
        if not self._url:
            raise PermanentDeliveryError("Slack is not configured: set SLACK_WEBHOOK_URL")
        body = {"text": message.text, "channel": message.recipient}
        headers = {"X-DataPact-Notification-Id": str(message.id)}
        try:
            response = self._http.post(self._url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"Slack webhook unreachable: {exc!r}") from exc
        if response.is_success:
            return
        error = f"Slack webhook answered {response.status_code}: {response.text[:200]}"
        if response.status_code == 429 or response.status_code >= 500:
            raise DeliveryError(error)
        raise PermanentDeliveryError(error)

    def close(self) -> None:
        self._http.close()
