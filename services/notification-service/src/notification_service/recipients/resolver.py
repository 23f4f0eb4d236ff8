"""Who hears about an event (docs/notifications.md "Flow", step 2). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from datapact_common.events import EventEnvelope, EventType
from notification_service.notifications.models import Channel
from notification_service.recipients.contract import ContractView
from notification_service.text import normalize_email

# Types whose payload names the fields concerned: a subscriber hears only when it uses one.
# A recovery carries the fields of the failure it closes, so it reaches the same people.
FIELD_FILTERED_TYPES = frozenset(
    {
        EventType.SCHEMA_DRIFT,
        EventType.QUALITY_BREACH,
        EventType.COMPLIANCE_RECOVERED,
        EventType.BREAKING_CHANGE_PROPOSED,
        EventType.PR_BLOCKED,
        EventType.CONTRACT_UPDATED,
    }
)


class WatcherLike(Protocol):
    channel: str
    target: str
    contract_name: str | None
    team: str | None
    event_types: list[str]


@dataclass
class Recipient:
    channel: Channel
    address: str
    roles: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.roles)[:500]


def watcher_matches(watcher: WatcherLike, event: EventEnvelope, team: str | None) -> bool:
    if watcher.event_types and event.type.value not in watcher.event_types:
        return False
    if watcher.contract_name is not None:
        return watcher.contract_name == event.contract_name
    if watcher.team is not None:
        return team is not None and watcher.team == team
    return True


def named_teams(event: EventEnvelope) -> set[str]:
    """Subscriber teams the producer named as affected by a change of one of the event's
    fields (``payload.changes[].affected_subscribers``).

    They are told even when the contract they are read from no longer lists the field: a
    published field removal drops the field from the subscribers' ``fields_used`` in the
    same change, so only the event still knows who used it.
    """
    fields = set(event.affected_fields)
    teams: set[str] = set()
    for change in event.payload.get("changes") or []:
        if not isinstance(change, dict) or (fields and change.get("field") not in fields):
            continue
        named = change.get("affected_subscribers")
        if isinstance(named, list):
            teams.update(str(team) for team in named)
    return teams


def resolve_recipients(
    event: EventEnvelope, contract: ContractView | None, watchers: Iterable[WatcherLike]
) -> list[Recipient]:
    """Publisher contact, affected subscribers, matching watchers — one entry per address."""
    found: dict[tuple[Channel, str], Recipient] = {}

    def add(channel: Channel, address: str | None, role: str) -> None:
        if not address or not address.strip():
            return
        key_address = normalize_email(address) if channel is Channel.EMAIL else address.strip()
        recipient = found.setdefault(
            (channel, key_address), Recipient(channel=channel, address=key_address)
        )
        if role not in recipient.roles:
            recipient.roles.append(role)

    team: str | None = None
    if contract is not None:
        team = contract.publisher.team
        add(Channel.EMAIL, contract.publisher.contact_email, f"publisher ({team})")
        fields = event.affected_fields
        # A field's deprecation (its notice and sunset reminders: `payload.field`) is for
        # that field's readers; a contract's deprecation for every subscriber.
        filtered = event.type in FIELD_FILTERED_TYPES or (
            event.type is EventType.DEPRECATION_WARNING and bool(event.payload.get("field"))
        )
        named = named_teams(event) if filtered else set()
        for subscriber in contract.subscribers:
            if filtered and not subscriber.uses_any(fields) and subscriber.team not in named:
                continue
            used = sorted(set(subscriber.fields_used) & set(fields)) if filtered else []
            role = f"subscriber ({subscriber.team})"
            if used:
                role = f"subscriber ({subscriber.team}, uses {', '.join(used)})"
            elif subscriber.team in named:
                role = f"subscriber ({subscriber.team}, affected by {', '.join(fields)})"
            add(Channel.EMAIL, subscriber.contact_email, role)
    for watcher in watchers:
        if watcher_matches(watcher, event, team):
            if watcher.contract_name:
                scope = f"contract {watcher.contract_name}"
            elif watcher.team:
                scope = f"team {watcher.team}"
            else:
                scope = "all contracts"
            add(Channel(watcher.channel), watcher.target, f"watcher ({scope})")
    return list(found.values())
