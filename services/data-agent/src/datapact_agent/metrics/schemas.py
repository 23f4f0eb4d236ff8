"""Response shapes of GET /metrics, protocol 2 (docs/agent.md).

Protocol 2 only adds keys to protocol 1: ``protocol`` at the top and, per dataset,
``checks``, ``sample_key``, ``queries`` and ``seconds``. A monitor that reads protocol 1
(``row_count``, ``freshness``, ``completeness``, ``uniqueness``, ``errors``) reads the same
keys with the same meaning.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

PROTOCOL_VERSION = 2


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


class RuleCheck(BaseModel):
    """One promise of the contract, and how many rows break it."""

    id: str = Field(
        description="stable within the contract: '<field>:<rule>', '(a, b):unique', "
        "'<field>:expression:<n>', '<field>:quality:<n>', '(table):<rule>' for freshness, "
        "row_count and '(table):quality:<n>'"
    )
    field: str | None = Field(
        description="the field, or null for a key over several fields or a table check"
    )
    fields: list[str] = Field(description="every field the rule is about")
    rule: Literal[
        "not_null", "unique", "min", "max", "min_length", "max_length", "regex", "enum",
        "expression", "foreign_key", "present", "type", "completeness", "freshness",
        "row_count", "quality",
    ]  # fmt: skip
    value: Any = Field(default=None, description="the promise: a bound, pattern, list, reference")
    violations: int | None = Field(
        description="rows breaking the promise (unique: rows repeating another); null when it "
        "could not be counted (see error) or was skipped"
    )
    samples: list[dict[str, Any]] | None = Field(
        default=None,
        description="up to 5 breaking rows, by their primary-key values only (null: no key, a "
        "PII key, sampling off, or nothing to show)",
    )
    error: str | None = Field(default=None, description="why it could not be counted")
    skipped: str | None = Field(
        default=None, description="why it is not checked here (e.g. a key to another database)"
    )
    passed: bool | None = Field(
        default=None,
        description="the verdict: for a value rule no row breaks it; for present, type, "
        "completeness, freshness, row_count and quality the measure meets the promise; null "
        "when it could not be judged (see error) or was skipped",
    )
    measured: float | None = Field(
        default=None,
        description="completeness: % non-null; freshness: seconds since the newest row; "
        "row_count: rows; quality: the rule's number (rows, % of rows, or the query's value)",
    )
    found: str | None = Field(default=None, description="what was measured, in words")


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
    checks: list[RuleCheck] = Field(description="protocol 2: every promise, counted")
    sample_key: list[str] | None = Field(
        default=None, description="the primary-key columns the samples are made of"
    )
    queries: int = Field(default=0, description="statements run for this dataset's table")
    seconds: float = Field(default=0.0, description="time spent measuring its table")


class MetricsResponse(BaseModel):
    service: str
    protocol: int = PROTOCOL_VERSION
    generated_at: datetime
    datasets: dict[str, DatasetMetrics]
    paged: bool | None = Field(
        default=None,
        description="true in the answer to a page (?contracts=): it holds the contracts "
        "asked for that the service serves; absent in an answer holding every contract",
    )
