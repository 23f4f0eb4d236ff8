"""Which proposal answers a recipient is asked for (docs/workflow.md "Answers").

A ``breaking_change_proposed`` e-mail carries signed approve and object links for each
affected team the recipient is the contact of (``subscribers[].contact_email`` of the
contract as the event is processed, among the payload's ``affected_subscribers``). Decided
with the recipients and kept on the notification row (``answer_for``) as an
:class:`AnswerRequest`: the proposal, the teams, when the notice ends — never the links,
which are signed as the e-mail is sent (rendering/answer_links.py).

Pure: no I/O. An event without a proposal id or affected teams (a pull request's, or one
written before proposals) asks nobody.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from datapact_common.events import EventEnvelope, EventType
from notification_service.notifications.models import Channel
from notification_service.recipients.contract import ContractView
from notification_service.recipients.resolver import Recipient
from notification_service.text import normalize_email


@dataclass(frozen=True)
class AnswerRequest:
    proposal_id: uuid.UUID
    teams: tuple[str, ...]
    notice_ends_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "proposal": str(self.proposal_id),
            "teams": list(self.teams),
            "notice_ends_at": self.notice_ends_at.isoformat() if self.notice_ends_at else None,
        }

    @classmethod
    def from_json(cls, data: object) -> AnswerRequest | None:
        """The stored request; None when there is none or it cannot be read (the e-mail
        then goes without links rather than not at all)."""
        if not isinstance(data, dict):
            return None
        teams = data.get("teams")
        if not isinstance(teams, list) or not all(isinstance(t, str) and t for t in teams):
            return None
        try:
            proposal_id = uuid.UUID(str(data.get("proposal")))
            ends = _instant(data.get("notice_ends_at"))
        except ValueError:
            return None
        if not teams:
            return None
        return cls(proposal_id=proposal_id, teams=tuple(teams), notice_ends_at=ends)


def _instant(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not an ISO 8601 instant")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("an instant without its time zone")
    return moment


def answer_request(
    event: EventEnvelope, contract: ContractView | None, recipient: Recipient
) -> AnswerRequest | None:
    """The answers ``recipient`` is asked for by ``event``: e-mail only, a proposal's affected
    teams whose contact is the recipient's address. None when there is none."""
    if event.type is not EventType.BREAKING_CHANGE_PROPOSED:
        return None
    if recipient.channel is not Channel.EMAIL or contract is None:
        return None
    proposal = event.payload.get("proposal")
    affected = event.payload.get("affected_subscribers")
    if not isinstance(proposal, dict) or not isinstance(affected, list):
        return None
    try:
        proposal_id = uuid.UUID(str(proposal.get("id")))
        ends = _instant(proposal.get("notice_ends_at"))
    except ValueError:
        return None
    asked = {team for team in affected if isinstance(team, str)}
    teams = sorted(
        {
            s.team
            for s in contract.subscribers
            if s.team in asked
            and s.contact_email
            and normalize_email(s.contact_email) == recipient.address
        }
    )
    if not teams:
        return None
    return AnswerRequest(proposal_id=proposal_id, teams=tuple(teams), notice_ends_at=ends)
