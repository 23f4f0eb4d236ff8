"""What every check returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from datapact_common.checks import CheckStatus, CheckType
from datapact_common.timeutil import utcnow


@dataclass
class CheckResult:
    """One check of one contract.

    ``details`` says what was expected and what was found, per field where it applies;
    ``fields`` names the fields a failure concerns (empty: the dataset as a whole), so
    only the subscribers who use them are alerted. ``rule`` names the rule a per-rule
    (validity) result judges, e.g. ``price:min``: its alert state is its own.
    """

    check_type: CheckType
    status: CheckStatus
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    checked_at: datetime = field(default_factory=utcnow)
    rule: str | None = None

    @property
    def state_key(self) -> str:
        """What an alert state is kept per: the check type, or the type and the rule."""
        return self.check_type.value if self.rule is None else f"{self.check_type}:{self.rule}"

    @property
    def error_message(self) -> str | None:
        return None if self.status is CheckStatus.PASS else self.summary

    def record_body(self) -> dict[str, Any]:
        """The body of ``POST /api/v1/contracts/{id}/compliance``."""
        body = {
            "check_type": self.check_type.value,
            "status": self.status.value,
            "details": {"summary": self.summary, **self.details},
            "error_message": self.error_message,
            "checked_at": self.checked_at.isoformat(),
        }
        return body if self.rule is None else {**body, "rule": self.rule}

    def as_dict(self) -> dict[str, Any]:
        return {**self.record_body(), "fields": self.fields, "rule": self.rule}


def error_result(check_type: CheckType, message: str, **details: Any) -> CheckResult:
    """The check could not be carried out (service unreachable, host not allowed, ...)."""
    return CheckResult(check_type, CheckStatus.ERROR, message, {"error": message, **details})


def percent(fraction: float) -> str:
    return f"{fraction * 100:.2f}%"


def format_seconds(seconds: float) -> str:
    """A readable age: ``2 h 03 min``, ``14 min 05 s``, ``12.5 s``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"
