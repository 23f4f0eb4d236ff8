"""Request and response of POST /api/v1/drafts/from-sql."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_SQL_CHARS = 1_000_000  # a schema dump of ~1,000 tables; the body cap is 2 MiB
MAX_TABLES = 500

Dialect = Literal["postgres", "postgresql", "mysql", "mariadb", "duckdb"]


class DraftFromSqlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sql: str = Field(
        min_length=1,
        max_length=MAX_SQL_CHARS,
        description="the DDL: a schema.sql, a pg_dump --schema-only, a file of migrations",
    )
    dialect: Dialect = Field("postgres", description="the SQL dialect the DDL is written in")
    tables: list[str] = Field(
        default_factory=list,
        max_length=MAX_TABLES,
        description="only these tables (all when empty)",
    )
    team: str | None = Field(None, min_length=1, max_length=255, description="publisher team")
    owner: str | None = Field(None, min_length=1, max_length=255, description="owner")


class DraftItem(BaseModel):
    name: str
    table: str = Field(description="the table as the DDL names it")
    kind: str = Field(description="table, partitioned table, view, materialized view")
    document: dict[str, Any] = Field(description="the drafted contract document")
    yaml: str = Field(description="the document as `datapact init` writes it, with its header")
    left_out: list[str] = Field(description="what the contract cannot say, named")


class DraftFromSqlResult(BaseModel):
    drafts: list[DraftItem]
    problems: list[str] = Field(description="statements, tables or columns not drafted, why")
    notes: list[str]
