"""The change policy, applied: which changes need the affected teams' say, and whether a
proposal may be published (docs/workflow.md). Pure: no I/O, the clock is an argument."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from datapact_common.contract_schema import ChangePolicy, ContractDefinition
from datapact_common.diff import Change, ChangeKind, Severity


def sunset_passed(current: ContractDefinition, change: Change, today: date) -> bool:
    """A removal of a field whose deprecation's sunset has come: the notice was given, so
    it needs the major version but no approval."""
    if change.kind is not ChangeKind.FIELD_REMOVED or change.field is None:
        return False
    removed = current.field(change.field)
    deprecation = removed.deprecated if removed is not None else None
    return bool(deprecation and deprecation.sunset and deprecation.sunset <= today)


def gated_changes(
    current: ContractDefinition, changes: Iterable[Change], today: date
) -> list[Change]:
    """The breaking changes the policy of ``current`` governs."""
    return [
        c
        for c in changes
        if c.severity is Severity.BREAKING and c.versioned and not sunset_passed(current, c, today)
    ]


def affected_teams(changes: Iterable[Change]) -> list[str]:
    return sorted({team for c in changes for team in c.affected_subscribers})


def change_key(change: Mapping[str, object] | Change) -> tuple[str, str]:
    """What makes two classified changes the same change (kind and place)."""
    if isinstance(change, Change):
        return str(change.kind), change.path
    return str(change.get("kind")), str(change.get("path"))


@dataclass(frozen=True)
class Verdict:
    """Whether a proposal's policy holds now, and who the publisher still waits for."""

    publishable: bool
    reason: str
    teams: list[str]
    approved: list[str] = field(default_factory=list)
    objected: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    notice_ends_at: datetime | None = None

    @property
    def summary(self) -> str:
        """E.g. "2 of 3 affected teams approved; `finance` pending"."""
        total = len(self.teams)
        text = f"{len(self.approved)} of {total} affected team{'s' if total != 1 else ''} approved"
        if self.objected:
            text += "; " + ", ".join(f"`{t}`" for t in self.objected) + " objected"
        if self.pending:
            text += "; " + ", ".join(f"`{t}`" for t in self.pending) + " pending"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "publishable": self.publishable,
            "reason": self.reason,
            "summary": self.summary,
            "approved": self.approved,
            "objected": self.objected,
            "pending": self.pending,
            "notice_ends_at": self.notice_ends_at.isoformat() if self.notice_ends_at else None,
        }


def verdict(
    policy: ChangePolicy | None,
    teams: list[str],
    answers: Mapping[str, str],
    proposed_at: datetime,
    now: datetime,
) -> Verdict:
    """``answers``: each team's latest answer (``approved`` / ``objected``)."""
    approved = [t for t in teams if answers.get(t) == "approved"]
    objected = [t for t in teams if answers.get(t) == "objected"]
    pending = [t for t in teams if t not in answers]
    if policy is None:
        return Verdict(
            True, "the contract has no change policy", teams, approved, objected, pending
        )
    ends = proposed_at + timedelta(days=policy.notice_days)
    parts = (teams, approved, objected, pending, ends)
    if len(approved) == len(teams):
        return Verdict(True, "every affected team approved", *parts)
    if policy.require_approval:
        return Verdict(False, "the change policy requires every affected team's approval", *parts)
    if objected:
        return Verdict(False, "an affected team objects", *parts)
    if now >= ends:
        return Verdict(True, "the notice period ended with no open objection", *parts)
    return Verdict(
        False,
        f"the notice period ends {ends.isoformat()} and not every affected team approved",
        *parts,
    )
