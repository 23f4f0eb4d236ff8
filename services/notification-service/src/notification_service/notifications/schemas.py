from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, computed_field

from notification_service.channels.email import message_id


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event_id: uuid.UUID | None
    event_type: str
    contract_name: str | None
    severity: str
    channel: str
    recipient: str
    reason: str
    subject: str
    status: str
    suppressed_reason: str | None
    note: str | None
    attempts: int
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    digest_id: uuid.UUID | None


class NotificationDetail(NotificationOut):
    template: str
    body_text: str
    body_html: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message_id(self) -> str | None:
        return message_id(self.id) if self.channel == "email" else None


class NotificationPage(BaseModel):
    notifications: list[NotificationOut]
    total: int
    skip: int
    limit: int
