from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class EventAccepted(BaseModel):
    id: uuid.UUID
    status: Literal["accepted"] = "accepted"
    duplicate: bool = False


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type: str
    occurred_at: datetime
    source: str
    contract_name: str
    contract_version: str | None
    severity: str
    title: str
    payload: dict[str, Any]
    dedup_key: str
    received_at: datetime
    processed_at: datetime | None
    attempts: int
    last_error: str | None
