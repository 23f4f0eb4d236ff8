"""Response models of the dictionary's catalog endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _FromRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DictionaryTotals(BaseModel):
    total_datasets: int
    total_fields: int
    total_teams: int
    pii_field_count: int


class SyncStatus(_FromRow):
    cursor: datetime | None = None
    last_started_at: datetime | None = None
    last_success_at: datetime | None = None
    last_failure_at: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    last_run_received: int = 0
    last_run_applied: int = 0
    total_runs: int = 0
    running: bool = Field(default=False, description="a sync pass is in progress right now")
    pending: bool = Field(default=False, description="a nudged pass waits to start")


class DictionarySummary(BaseModel):
    """The spec's aggregator output, computed by the database."""

    summary: DictionaryTotals
    datasets_by_status: dict[str, int]
    fields_by_data_type: dict[str, int]
    teams: list[str]
    sync: SyncStatus


class DatasetSummary(_FromRow):
    id: uuid.UUID = Field(description="the contract id in the registry")
    name: str
    description: str | None
    version: str
    status: str
    publisher_team: str
    publisher_owner: str
    table_name: str
    tags: list[str]
    field_count: int
    pii_field_count: int
    subscriber_count: int
    source_updated_at: datetime
    synced_at: datetime


class DatasetPage(BaseModel):
    datasets: list[DatasetSummary]
    total: int
    skip: int
    limit: int


class FieldEntry(_FromRow):
    name: str
    data_type: str
    description: str | None
    nullable: bool
    is_pii: bool
    is_primary_key: bool
    is_foreign_key: bool
    is_unique: bool
    foreign_key_reference: str | None
    example_value: Any | None
    constraints: list[dict[str, Any]]


class RelationshipEntry(BaseModel):
    dataset: str
    field: str
    references_dataset: str
    references_field: str
    exists: bool = Field(description="false when the referenced dataset is not in the registry")


class SubscriptionEntry(_FromRow):
    team: str
    use_case: str | None
    fields_used: list[str]
    contact_email: str | None


class DatasetDetail(DatasetSummary):
    fields: list[FieldEntry]
    references: list[RelationshipEntry] = Field(description="this dataset's foreign keys")
    referenced_by: list[RelationshipEntry] = Field(description="foreign keys pointing here")
    subscribers: list[SubscriptionEntry]
