"""The one interface every delivery channel implements."""

from __future__ import annotations

import abc
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class OutgoingMessage:
    """What a channel delivers. ``id`` is the notification id (the idempotency key)."""

    id: uuid.UUID
    recipient: str
    subject: str
    text: str
    html: str | None = None


class DeliveryError(Exception):
    """Delivery failed but may succeed later (server down, timeout, 4xx/5xx transient)."""


class PermanentDeliveryError(DeliveryError):
    """Delivery can never succeed as addressed (e.g. the mailbox does not exist)."""


class NotificationChannel(abc.ABC):
    name: str

    @abc.abstractmethod
    def send(self, message: OutgoingMessage) -> None:
        """Deliver or raise :class:`DeliveryError`."""

    def close(self) -> None:  # noqa: B027 - optional for channels without connections
        """Release connections kept between messages, politely."""

    def abort(self) -> None:
        """Drop connections in an unknown state (after an interrupted send)."""
        self.close()
