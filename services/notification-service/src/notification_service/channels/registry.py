"""One instance of each channel per worker process (connections are reused between tasks)."""

from __future__ import annotations

import os

from notification_service.channels.base import NotificationChannel
from notification_service.channels.email import EmailChannel
from notification_service.channels.slack import SlackChannel
from notification_service.config import get_settings

_channels: dict[tuple[int, str], NotificationChannel] = {}


def channel_for(name: str) -> NotificationChannel:
    key = (os.getpid(), name)
    channel = _channels.get(key)
    if channel is None:
        settings = get_settings()
        channel = EmailChannel(settings) if name == "email" else SlackChannel(settings)
        _channels[key] = channel
    return channel


def close_all() -> None:
    for channel in list(_channels.values()):
        channel.close()
    _channels.clear()
