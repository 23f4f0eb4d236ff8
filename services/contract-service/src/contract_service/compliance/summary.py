"""The compliance summary shown in a contract's body: latest status per check type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from datapact_common.checks import CheckStatus, worst
from datapact_common.timeutil import ensure_aware


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


def _at(entry: Any) -> datetime | None:
    value = entry.get("checked_at") if isinstance(entry, dict) else None
    try:
        return ensure_aware(datetime.fromisoformat(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def _newer_or_same(entry: Any, checked_at: datetime) -> bool:
    """Is the stored ``entry`` no older than a result checked at ``checked_at``?"""
    stored = _at(entry)
    return stored is not None and stored > checked_at


@dataclass(frozen=True)
class LatestEntry:
    """One recorded result, as the contract's summary keeps it."""

    check_type: str
    rule: str
    checked_at: datetime
    entry: dict[str, Any]


def merge_latest(current: dict[str, Any] | None, results: list[LatestEntry]) -> dict[str, Any]:
    """The contract's ``compliance`` after ``results``: the latest entry per check type.

    A per-rule result (``rule`` set) goes into its type's ``rules``; the type's own entry
    then sums up the rules of the latest observation (its status is the worst of them), so
    a rule that a newer observation no longer reports (a removed constraint) drops out.
    """
    merged = dict(current or {})
    grouped: set[str] = set()
    for result in results:
        if not result.rule:
            if not _newer_or_same(merged.get(result.check_type), result.checked_at):
                merged[result.check_type] = result.entry
            continue
        group = merged.get(result.check_type)
        rules = dict(group.get("rules") or {}) if isinstance(group, dict) else {}
        if not _newer_or_same(rules.get(result.rule), result.checked_at):
            rules[result.rule] = result.entry
        merged[result.check_type] = {"rules": rules}
        grouped.add(result.check_type)
    for check_type in grouped:
        merged[check_type] = _sum_up(merged[check_type]["rules"])
    return merged


def _sum_up(rules: dict[str, Any]) -> dict[str, Any]:
    times = {name: _at(entry) for name, entry in rules.items()}
    newest = max((t for t in times.values() if t is not None), default=None)
    kept = {name: rules[name] for name, at in times.items() if at == newest}
    statuses = [str(entry.get("status")) for entry in kept.values()]
    status = worst(CheckStatus(s) for s in statuses if s in _STATUSES).value
    broken = [name for name, entry in kept.items() if entry.get("status") == status]
    message = None
    if status != "pass":
        first = kept[sorted(broken)[0]].get("error_message") or sorted(broken)[0]
        message = f"{len(broken)} of {len(kept)} rule(s) {status}: {first}"[:500]
    return {
        "status": status,
        "checked_at": newest.isoformat() if newest else None,
        "error_message": message,
        "rules": kept,
    }
