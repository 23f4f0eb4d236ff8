"""Response shapes of GET /metrics (docs/interfaces.md, the data service protocol)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Freshness(BaseModel):
    column: str
    last_update: datetime | None
    seconds_since_update: float | None


class Completeness(BaseModel):
    non_null: int
    ratio: float = Field(description="non-null rows / rows, 0..1 (1.0 for an empty table)")


class Uniqueness(BaseModel):
    distinct: int
    duplicates: int = Field(description="non-null values that repeat another: non_null - distinct")
    ratio: float = Field(description="distinct / non-null values, 0..1 (1.0 when there are none)")


class DatasetMetrics(BaseModel):
    table: str
    row_count: int | None
    freshness: Freshness
    completeness: dict[str, Completeness | None] = Field(
        description="every contract field; null when the column is missing"
    )
    uniqueness: dict[str, Uniqueness | None] = Field(
        description="primary-key and unique fields; null when the column is missing"
    )
    errors: list[str]


class MetricsResponse(BaseModel):
    service: str
    generated_at: datetime
    datasets: dict[str, DatasetMetrics]
