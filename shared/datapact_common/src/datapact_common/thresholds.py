"""Quality thresholds parsed once into typed values.

Durations: ``"15 minutes"``, ``"1h"``, ``"2 days"``, ``"90s"``, ``"500ms"``, ISO 8601 ``"PT15M"``.
Percentages: ``"99.5%"`` (0 to 100).
Row-count ranges (volume): ``"1000..50000"``, ``"1000.."`` (at least), ``"..50000"`` (at
most), an optional ``rows`` after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from datapact_common.exceptions import ThresholdError

_UNIT_SECONDS: Final[dict[str, float]] = {
    "ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
}  # fmt: skip

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$")
_ISO_DURATION_RE = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_PERCENT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True, order=True)
class Duration:
    """A time span; larger means a weaker freshness promise."""

    seconds: float

    @property
    def timedelta(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    def __str__(self) -> str:
        return _format_seconds(self.seconds)


@dataclass(frozen=True, order=True)
class Percentage:
    """A share from 0 to 100; smaller means a weaker promise."""

    value: float

    @property
    def fraction(self) -> float:
        return self.value / 100.0

    def __str__(self) -> str:
        return f"{self.value:g}%"


@dataclass(frozen=True)
class RowRange:
    """How many rows a dataset may hold: ``minimum``..``maximum``, either end open."""

    minimum: int | None
    maximum: int | None

    def holds(self, rows: int) -> bool:
        return (self.minimum is None or rows >= self.minimum) and (
            self.maximum is None or rows <= self.maximum
        )

    def __str__(self) -> str:
        low = "" if self.minimum is None else str(self.minimum)
        high = "" if self.maximum is None else str(self.maximum)
        return f"{low}..{high} rows"


Threshold = Duration | Percentage | RowRange


def _format_seconds(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds:g} seconds"


def parse_duration(text: str) -> Duration:
    """Parse a duration such as ``"15 minutes"``, ``"1h"`` or ``"PT15M"``."""
    if not isinstance(text, str):
        raise ThresholdError(f"duration must be a string such as '15 minutes', got {text!r}")
    iso = _ISO_DURATION_RE.match(text.strip().upper())
    if iso and any(iso.groupdict().values()):
        parts = {k: float(v) for k, v in iso.groupdict().items() if v}
        seconds = (
            parts.get("d", 0) * 86400 + parts.get("h", 0) * 3600 + parts.get("m", 0) * 60
        ) + parts.get("s", 0)
        return _positive(Duration(seconds), text)
    match = _DURATION_RE.match(text)
    if not match:
        raise ThresholdError(
            f"cannot parse duration {text!r}: expected a number and a unit, e.g. '15 minutes', "
            "'1h', '2 days'"
        )
    number, unit = match.groups()
    size = _UNIT_SECONDS.get(unit.lower())
    if size is None:
        raise ThresholdError(
            f"cannot parse duration {text!r}: unknown unit {unit!r} "
            "(use milliseconds, seconds, minutes, hours, days or weeks)"
        )
    return _positive(Duration(float(number) * size), text)


def _positive(duration: Duration, text: str) -> Duration:
    if duration.seconds <= 0:
        raise ThresholdError(f"duration {text!r} must be greater than zero")
    return duration


def parse_percentage(text: str | float | int) -> Percentage:
    """Parse ``"99.5%"``; a bare number is read as a percentage too."""
    if isinstance(text, bool):
        raise ThresholdError(f"percentage must look like '99.5%', got {text!r}")
    if isinstance(text, int | float):
        value = float(text)
    else:
        match = _PERCENT_RE.match(text)
        if not match:
            raise ThresholdError(f"cannot parse percentage {text!r}: expected e.g. '99.5%'")
        value = float(match.group(1))
    if not 0.0 <= value <= 100.0:
        raise ThresholdError(f"percentage {text!r} must be between 0% and 100%")
    return Percentage(value)


_ROW_RANGE_RE = re.compile(r"^\s*(\d{1,15})?\s*\.\.\s*(\d{1,15})?\s*(?:rows?)?\s*$")


def parse_row_range(text: str) -> RowRange:
    """Parse ``"1000..50000"``, ``"1000.."`` or ``"..50000"`` (``rows`` optional)."""
    match = _ROW_RANGE_RE.match(text) if isinstance(text, str) else None
    if not match or (match.group(1) is None and match.group(2) is None):
        raise ThresholdError(
            f"cannot parse row-count range {text!r}: expected e.g. '1000..50000', "
            "'1000..' or '..50000'"
        )
    low = int(match.group(1)) if match.group(1) is not None else None
    high = int(match.group(2)) if match.group(2) is not None else None
    if low is not None and high is not None and low > high:
        raise ThresholdError(f"row-count range {text!r}: the minimum is above the maximum")
    return RowRange(low, high)
