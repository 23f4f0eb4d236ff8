"""Who reads the details of a check that could not reach its data service.

A check that could not read its data service (an ``error``, or an availability probe that
got no 2xx answer) says what answered on the port: ``cannot connect``, ``HTTP 404``,
``RemoteProtocolError``, ``response is not JSON``… Shown to anyone, that turns the monitor
into a port scanner of the allow-listed hosts. Only the contract's publisher team, admins
and DataPact services read those details; everyone else reads :data:`MASKED`, the same for
a closed port, a port that does not speak HTTP and one that answers garbage.
"""

from __future__ import annotations

from typing import Any

from datapact_common.checks import UNREACHABLE_DATA_SERVICE
from datapact_common.tokens import Principal

MASKED = UNREACHABLE_DATA_SERVICE


def sees_details(principal: Principal | None, team: str) -> bool:
    if principal is None:
        return False
    return principal.is_admin or principal.is_service or team in principal.teams


def _unreachable(
    check_type: object, status: object, message: object, details: dict[str, Any] | None
) -> bool:
    if status == "error":
        return True
    if check_type != "availability" or status != "fail":
        return False
    if details is not None:  # the probe itself failed, not the uptime over the window
        probe = details.get("probe")
        return not (isinstance(probe, dict) and probe.get("ok") is True)
    return not (isinstance(message, str) and message.startswith("uptime "))


def masked_check(
    check_type: str, status: str, message: str | None, details: dict[str, Any]
) -> tuple[str | None, dict[str, Any]]:
    """``(error_message, details)`` as a reader without the details sees them."""
    if not _unreachable(check_type, status, message, details):
        return message, details
    return MASKED, {"error": MASKED}


def masked_latest(latest: dict[str, Any] | None) -> dict[str, Any]:
    """The latest status per check type (``{type: {status, checked_at, error_message}}``)
    as a reader without the details sees it."""
    result: dict[str, Any] = {}
    for check_type, entry in (latest or {}).items():
        if isinstance(entry, dict) and _unreachable(
            check_type, entry.get("status"), entry.get("error_message"), None
        ):
            entry = {**entry, "error_message": MASKED}
        result[check_type] = entry
    return result
