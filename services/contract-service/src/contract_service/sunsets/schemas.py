"""Response shapes of the deprecations read (for the OpenAPI document)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field


class DeprecatedField(BaseModel):
    field: str
    since: date | None = None
    sunset: date | None = None
    replacement: str | None = None
    days_left: int | None = Field(description="days to the sunset (negative: past it)")
    not_migrated: list[str] = Field(description="subscribers whose fields_used still name it")
    migrated: list[str] = Field(description="the other subscribers")
    reminders_sent: list[str] = Field(description="notice, 14d, 7d, 1d: those sent")


class DeprecationList(BaseModel):
    contract_id: uuid.UUID
    name: str
    fields: list[DeprecatedField]
