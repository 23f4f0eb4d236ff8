"""The compliance summary shown in a contract's body: latest status per check type."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from datapact_common.checks import CheckStatus, worst


class OverallStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARNING = "warning"
    ERROR = "error"
    UNKNOWN = "unknown"


_STATUSES = frozenset(status.value for status in CheckStatus)


def overall_status(latest: dict[str, Any]) -> str:
    """The worst latest status (a failed check outranks one that could not run), or unknown."""
    statuses = [check.get("status") for check in latest.values() if isinstance(check, dict)]
    known = [CheckStatus(s) for s in statuses if s in _STATUSES]
    return worst(known).value if known else OverallStatus.UNKNOWN.value


def compliance_summary(latest: dict[str, Any] | None) -> dict[str, Any]:
    """``{"status": overall, "checks": {type: {"status", "checked_at", "error_message"}}}``."""
    checks = latest or {}
    return {"status": overall_status(checks), "checks": checks}
