"""Timezone-aware time helpers: every datetime in DataPact is UTC-aware."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def ensure_aware(value: datetime) -> datetime:
    """Treat a naive datetime as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
