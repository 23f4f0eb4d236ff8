"""Response shapes of GET /schema (protocol 1 keys, plus what protocol 2 adds per column)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from datapact_common.engines.base import TableInfo


class ColumnOut(BaseModel):
    name: str
    type: str = Field(description="the engine's name: character varying(255), mpaa_rating, BLOB")
    base_type: str = Field(
        description="what the type check compares: a domain's base type, 'enum' for an enum "
        "type, another engine's type in PostgreSQL spelling"
    )
    nullable: bool
    default: str | None
    primary_key: bool
    enum_values: list[str] | None = Field(default=None, description="an enum type's labels")
    generated: str | None = Field(default=None, description="a generated column's expression")


class ForeignKeyOut(BaseModel):
    columns: list[str]
    references: str = Field(description="'table.column' ('table.(a, b)' for a composite key)")


class TableOut(BaseModel):
    kind: str = Field(description="table, view, partitioned table, materialized view, file")
    columns: list[ColumnOut]
    primary_key: list[str]
    foreign_keys: list[ForeignKeyOut]
    unique: list[list[str]]
    partition_of: str | None = None

    @classmethod
    def of(cls, table: TableInfo) -> TableOut:
        return cls(
            kind=table.kind,
            columns=[
                ColumnOut(
                    name=c.name,
                    type=c.type,
                    base_type=c.base_type,
                    nullable=c.nullable,
                    default=c.default,
                    primary_key=c.name in table.primary_key,
                    enum_values=list(c.enum_values) if c.enum_values else None,
                    generated=c.generated,
                )
                for c in table.columns.values()
            ],
            primary_key=table.primary_key,
            foreign_keys=[
                ForeignKeyOut(columns=list(fk.columns), references=fk.references)
                for fk in table.foreign_keys
            ],
            unique=table.unique,
            partition_of=table.partition_of,
        )


class SchemaResponse(BaseModel):
    service: str
    protocol: int
    engine: str
    tables: dict[str, TableOut]
    paged: bool | None = Field(
        default=None,
        description="true in the answer to a page (?tables=): it holds the tables asked for "
        "that exist; absent in an answer holding every table",
    )


def table_out(table: TableInfo) -> dict[str, Any]:
    """``TableOut.of(table)`` as a plain dict, key for key, without a model per column."""
    primary = table.primary_key
    return {
        "kind": table.kind,
        "columns": [
            {
                "name": c.name,
                "type": c.type,
                "base_type": c.base_type,
                "nullable": c.nullable,
                "default": c.default,
                "primary_key": c.name in primary,
                "enum_values": list(c.enum_values) if c.enum_values else None,
                "generated": c.generated,
            }
            for c in table.columns.values()
        ],
        "primary_key": primary,
        "foreign_keys": [
            {"columns": list(fk.columns), "references": fk.references} for fk in table.foreign_keys
        ],
        "unique": table.unique,
        "partition_of": table.partition_of,
    }
