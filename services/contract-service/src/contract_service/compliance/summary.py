"""The compliance summary shown in a contract's body: latest status per check type."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class CheckType(StrEnum):
    SCHEMA = "schema"
    FRESHNESS = "freshness"
    COMPLETENESS = "completeness"
    UNIQUENESS = "uniqueness"
    AVAILABILITY = "availability"
    ACCURACY = "accuracy"


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARNING = "warning"
    ERROR = "error"


class OverallStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARNING = "warning"
    ERROR = "error"
    UNKNOWN = "unknown"


# The overall status is the worst latest status; a failed check outranks one that could not run.
_RANK = {"pass": 0, "warning": 1, "error": 2, "fail": 3}


def overall_status(latest: dict[str, Any]) -> str:
    statuses = [check.get("status") for check in latest.values() if isinstance(check, dict)]
    known = [str(s) for s in statuses if s in _RANK]
    if not known:
        return "unknown"
    return max(known, key=lambda s: _RANK[s])


def compliance_summary(latest: dict[str, Any] | None) -> dict[str, Any]:
    """``{"status": overall, "checks": {type: {"status", "checked_at", "error_message"}}}``."""
    checks = latest or {}
    return {"status": overall_status(checks), "checks": checks}
