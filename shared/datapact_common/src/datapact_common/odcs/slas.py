"""ODCS ``slaProperties`` <-> DataPact quality SLAs.

ODCS writes a value and a unit (``value: 4, unit: d``), or a value with its unit inside
(``value: 500ms`` as datacontract-cli writes latency, ``5 minutes``, ``PT15M``). Both are read
into one threshold, so ``1 h`` and ``60 m`` are the same promise. Freshness is ODCS's
``latency`` or datacontract-cli's ``freshness``; its ``element`` (``object.column``) names the
timestamp column it is measured on, DataPact's ``measurement_method``.
"""

from __future__ import annotations

import re
from typing import Any

from datapact_common.contract_schema import MetricType
from datapact_common.exceptions import ThresholdError
from datapact_common.odcs.mapping import SLA_METRIC
from datapact_common.thresholds import parse_duration, parse_percentage, parse_row_range

# ODCS SLA units -> (seconds per unit, DataPact unit word when it has one).
DURATION_UNITS: dict[str, tuple[float, str | None]] = {
    **dict.fromkeys(("ms", "millisecond", "milliseconds"), (0.001, None)),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), (1, "seconds")),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), (60, "minutes")),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), (3600, "hours")),
    **dict.fromkeys(("d", "day", "days"), (86400, "days")),
    **dict.fromkeys(("w", "week", "weeks"), (604800, "weeks")),
    **dict.fromkeys(("mo", "month", "months"), (2592000, None)),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), (31536000, None)),
}
_PERCENT_UNITS = {None, "", "%", "percent", "pct", "percentage"}
_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_OF = re.compile(r"^max\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$", re.IGNORECASE)


def sla_metric(sla: Any) -> MetricType | None:
    """The DataPact metric an SLA entry (a mapping) expresses, if any."""
    name = sla.get("property") if isinstance(sla, dict) else None
    return SLA_METRIC.get(name.strip().lower()) if isinstance(name, str) else None


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def threshold_text(metric: MetricType, value: Any, unit: Any) -> str | None:
    """The DataPact threshold an SLA value and unit say; ``None`` when it cannot be read.

    The text is checked by the threshold parser, so what it returns is a valid threshold.
    """
    text = _text(metric, value, unit if isinstance(unit, str) else None)
    if text is None:
        return None
    try:
        if metric is MetricType.FRESHNESS:
            parse_duration(text)
        elif metric is MetricType.VOLUME:
            parse_row_range(text)
        else:
            parse_percentage(text)
    except ThresholdError:
        return None
    return text


def _text(metric: MetricType, value: Any, unit: str | None) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    unit_key = (unit or "").strip().lower()
    if metric is MetricType.FRESHNESS:
        if isinstance(value, str) and not unit_key:
            return value.strip()  # "500ms", "5 minutes", "PT15M"
        try:
            number = float(value)
        except ValueError:
            return None
        if unit_key not in DURATION_UNITS:
            return None
        seconds, word = DURATION_UNITS[unit_key]
        if word is None:
            return f"{number_text(number * seconds)} seconds"
        return f"{number_text(number)} {word if number != 1 else word.rstrip('s')}"
    if metric is MetricType.VOLUME:
        return value.strip() if isinstance(value, str) else None
    if unit_key not in _PERCENT_UNITS:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text if text.endswith("%") else f"{text}%"
    return f"{number_text(float(value))}%"


def applies_to(element: Any, object_name: str | None, objects: list[str]) -> bool:
    """False when an SLA ``element`` names another schema object of the document."""
    if not isinstance(element, str) or element.count(".") != 1:
        return True
    table = element.split(".")[0]
    return table == object_name or table not in objects


def element_column(element: Any, object_name: str | None, objects: list[str]) -> str | None:
    """The column of an SLA ``element`` (``object.column``) for the schema object
    ``object_name``: when it names that object, or an object the document does not have
    (the standard's own examples write ``tab1.txn_ref_dt`` for their only table)."""
    if not isinstance(element, str) or element.count(".") != 1:
        return None
    table, column = element.split(".")
    if not _COLUMN.match(column):
        return None
    if table == object_name or table not in objects:
        return column
    return None


def method_column(method: Any) -> str | None:
    """The column a freshness ``measurement_method`` names (``updated_at`` or
    ``max(updated_at)``, as the data service reads it); ``None`` for anything else."""
    if not isinstance(method, str):
        return None
    text = method.strip()
    if _COLUMN.match(text):
        return text
    match = _MAX_OF.match(text)
    return match.group(1) if match else None
