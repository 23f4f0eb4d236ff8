"""Subscriber bodies."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from contract_service.subscribers.models import SubscriberRecord


class SubscriberUpdate(BaseModel):
    """PUT body: the subscription's new details (the team is in the path)."""

    model_config = ConfigDict(extra="forbid")

    team: str | None = Field(default=None, description="optional; must match the path")
    use_case: str | None = None
    fields_used: list[str] = Field(
        default_factory=list, description="empty means the subscriber uses every field"
    )
    contact_email: EmailStr | None = None


class SubscriberOut(BaseModel):
    team: str
    use_case: str | None
    fields_used: list[str]
    contact_email: str | None
    subscribed_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: SubscriberRecord) -> SubscriberOut:
        return cls(
            team=row.team,
            use_case=row.use_case,
            fields_used=list(row.fields_used),
            contact_email=row.contact_email,
            subscribed_at=row.subscribed_at,
            updated_at=row.updated_at,
        )


class SubscriberList(BaseModel):
    contract_id: uuid.UUID
    name: str
    subscribers: list[SubscriberOut]
