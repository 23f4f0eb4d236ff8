"""When a deprecated field's readers hear about it. Pure: the day is an argument."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from datapact_common.contract_schema import ContractDefinition, FieldDeprecation

NOTICE = "notice"
# Reminders, in days before the sunset.
REMINDER_DAYS = (14, 7, 1)


def reminder_stage(days_left: int) -> str | None:
    """The reminder due with ``days_left`` days to the sunset: the nearest of 14, 7 and 1
    days that has been reached (none on or after the sunset day)."""
    for days in sorted(REMINDER_DAYS):
        if 0 < days_left <= days:
            return f"{days}d"
    return None


@dataclass(frozen=True)
class Sunset:
    """A deprecated field of a contract and who still reads it."""

    field: str
    deprecation: FieldDeprecation
    readers: list[str]  # subscriber teams whose fields_used name it (or every field)
    migrated: list[str]  # the other subscribers

    def days_left(self, today: date) -> int | None:
        sunset = self.deprecation.sunset
        return (sunset - today).days if sunset is not None else None

    def due(self, today: date, sent: set[str]) -> list[str]:
        """The stages to record now, the first one being the message to send: the notice
        (which covers a reminder due at the same time), else the reminder due."""
        days_left = self.days_left(today)
        if days_left is not None and days_left <= 0:
            return []
        stage = reminder_stage(days_left) if days_left is not None else None
        if NOTICE not in sent:
            return [NOTICE, *([stage] if stage else [])]
        return [stage] if stage and stage not in sent else []


def sunsets(contract: ContractDefinition) -> list[Sunset]:
    found = []
    for field in contract.schema_fields:
        if field.deprecated is None:
            continue
        readers = sorted(
            s.team for s in contract.subscribers if not s.fields_used or field.name in s.fields_used
        )
        migrated = sorted(s.team for s in contract.subscribers if s.team not in readers)
        found.append(Sunset(field.name, field.deprecated, readers, migrated))
    return found
