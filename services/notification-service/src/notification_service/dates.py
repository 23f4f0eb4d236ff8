"""Dates from requests: only those that exist in UTC are taken.

``9999-12-31T23:59:59-14:00`` parses, but in UTC it is in the year 10000, which neither
Python nor the database driver can hold: storing or comparing it failed with a 500.
"""

from __future__ import annotations

from datetime import UTC, datetime

from datapact_common.exceptions import InvalidRequestError
from datapact_common.timeutil import ensure_aware


def in_utc(value: datetime, where: str) -> datetime:
    """``value`` (naive = UTC) in UTC; 422 naming ``where`` when UTC cannot hold it."""
    try:
        return ensure_aware(value).astimezone(UTC)
    except OverflowError:
        message = f"{value.isoformat()} is out of range: in UTC it falls outside years 1-9999"
        raise InvalidRequestError(
            f"{where}: {message}",
            errors=[{"loc": where, "message": message, "type": "value_error"}],
        ) from None
