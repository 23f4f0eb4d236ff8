from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from datapact_common.events import EventSeverity, EventType


class PreferenceIn(BaseModel):
    """The whole preference (PUT replaces it); omitted keys take their defaults."""

    model_config = ConfigDict(extra="forbid")

    muted_types: list[EventType] = Field(
        default_factory=list, max_length=len(EventType), description="event types not to hear"
    )
    min_severity: EventSeverity = Field(
        default=EventSeverity.INFO, description="hear only events at least this severe"
    )
    digest: StrictBool = Field(
        default=True, description="send a digest of what the hourly rate limit held back"
    )

    @field_validator("muted_types")
    @classmethod
    def _unique(cls, value: list[EventType]) -> list[EventType]:
        return sorted(set(value), key=list(EventType).index)


class PreferenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    email: str
    muted_types: list[str]
    min_severity: str
    digest: bool
    updated_at: datetime | None = None
    updated_by: str | None = None
    stored: bool = Field(default=True, description="false: nothing saved yet, defaults shown")
