from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)

from datapact_common.contract_schema import CONTRACT_NAME_PATTERN
from datapact_common.events import EventType
from notification_service.notifications.models import Channel
from notification_service.text import NoNul

SLACK_TARGET_PATTERN = r"^[#@]?[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
_EMAIL = TypeAdapter(EmailStr)

ContractNameIn = Annotated[str, StringConstraints(pattern=CONTRACT_NAME_PATTERN, max_length=255)]
TeamIn = Annotated[NoNul, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


def normalize_target(channel: Channel, target: str) -> str:
    """E-mail targets are validated and lower-cased; Slack targets are channel names."""
    target = target.strip()
    if channel is Channel.EMAIL:
        try:
            return _EMAIL.validate_python(target).lower()
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"] if exc.errors() else "invalid"
            raise ValueError(f"{target!r} is not a valid e-mail address: {reason}") from None
    if not re.match(SLACK_TARGET_PATTERN, target):
        raise ValueError(
            "a Slack target is a channel or user name such as '#data-alerts' "
            "(letters, digits, '.', '_', '-'; at most 80 characters)"
        )
    return target


class WatcherCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel = Channel.EMAIL
    target: Annotated[NoNul, StringConstraints(min_length=1, max_length=320)] = Field(
        description="an e-mail address, or a Slack channel for channel=slack"
    )
    contract_name: ContractNameIn | None = Field(
        default=None, description="watch one contract (leave team empty)"
    )
    team: TeamIn | None = Field(
        default=None, description="watch every contract this team publishes"
    )
    event_types: list[EventType] = Field(
        default_factory=list, max_length=len(EventType), description="empty = every type"
    )

    @field_validator("event_types")
    @classmethod
    def _unique(cls, value: list[EventType]) -> list[EventType]:
        return sorted(set(value), key=list(EventType).index)

    @model_validator(mode="after")
    def _scope_and_target(self) -> WatcherCreate:
        if self.contract_name is not None and self.team is not None:
            raise ValueError("watch a contract_name or a team, not both (neither = everything)")
        self.target = normalize_target(self.channel, self.target)
        return self


class WatcherOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel: str
    target: str
    contract_name: str | None
    team: str | None
    event_types: list[str]
    status: Literal["active", "pending"] = Field(
        description="pending: added for someone else's address, told nothing until it confirms"
    )
    created_by: str
    created_at: datetime
    confirmed_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scope(self) -> Literal["contract", "team", "all"]:
        if self.contract_name is not None:
            return "contract"
        return "team" if self.team is not None else "all"


class WatcherPage(BaseModel):
    watchers: list[WatcherOut]
    total: int
    skip: int
    limit: int
