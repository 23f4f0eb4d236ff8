"""Response shape of GET /data/{dataset}."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class DataPage(BaseModel):
    dataset: str
    table: str
    fields: list[str] = Field(description="the contract's fields present in the live table")
    items: list[dict[str, Any]]
    limit: int
    offset: int
    next_offset: int | None = Field(description="pass as offset for the next page; null at the end")
    redacted_fields: list[str] = Field(
        description="PII fields returned as null because the caller may not see them"
    )
    missing_fields: list[str] = Field(
        description="contract fields the live table lacks (reported, not returned)"
    )
