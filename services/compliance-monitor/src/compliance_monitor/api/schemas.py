"""Response models of the monitor API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class CheckResultOut(BaseModel):
    check_type: str
    status: str
    details: dict[str, Any]
    error_message: str | None
    checked_at: str
    fields: list[str] = Field(description="fields a failure concerns; empty = the whole dataset")
    rule: str | None = Field(
        default=None, description="the rule a validity result judges, e.g. 'price:min'"
    )


class RunResponse(BaseModel):
    contract_id: str
    contract_name: str
    endpoint: str | None
    results: list[CheckResultOut]
    recorded: int = Field(description="results the contract-service accepted")
    events: list[str] = Field(description="events emitted because a check changed state")


class SweepStatus(BaseModel):
    kind: str
    started_at: str
    finished_at: str
    duration_seconds: float
    contracts: int
    checked: int
    failed: int
    errored: int
    skipped: int
    services: int
    results: dict[str, int]
    recorded: int
    events: int
    events_delivered: int
    phases: dict[str, float] = Field(
        default_factory=dict,
        description="seconds spent listing contracts, fetching and checking, recording",
    )


class StatusResponse(BaseModel):
    sweeps: dict[str, SweepStatus | None] = Field(
        description="the last sweep of each kind (schema, quality, availability); null if none"
    )
    schedule_seconds: dict[str, float]
    pending_events: int
