"""The check types and statuses: what the monitor produces and the contract-service records.

One definition for both sides (docs/interfaces.md, "Compliance"), so a type the
registry accepts is a type the monitor can name.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

# What a check that could not read its data service says to anyone but the contract's team:
# one text for a closed port, a port that does not speak HTTP and one answering garbage.
UNREACHABLE_DATA_SERVICE = "data service unreachable or not speaking the protocol"


class CheckType(StrEnum):
    SCHEMA = "schema"
    FRESHNESS = "freshness"
    COMPLETENESS = "completeness"
    UNIQUENESS = "uniqueness"
    AVAILABILITY = "availability"
    ACCURACY = "accuracy"
    # Per-rule value checks (min, max, lengths, regex, enum, expression, foreign keys).
    VALIDITY = "validity"
    VOLUME = "volume"  # the row count within the volume SLA's range


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """How serious: a failure outranks an error (it is a finding, not a doubt)."""
        return _RANK[self]


_RANK = {CheckStatus.PASS: 0, CheckStatus.WARNING: 1, CheckStatus.ERROR: 2, CheckStatus.FAIL: 3}


def worst(statuses: Iterable[CheckStatus]) -> CheckStatus:
    """The most serious status; ``PASS`` for none."""
    return max(statuses, key=lambda s: s.rank, default=CheckStatus.PASS)
