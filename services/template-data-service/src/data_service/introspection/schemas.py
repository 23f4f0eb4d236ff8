"""Response shapes of GET /schema (docs/interfaces.md, the data service protocol)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from data_service.introspection.inspector import TableInfo


class ColumnOut(BaseModel):
    name: str
    type: str = Field(
        description="PostgreSQL's type name, e.g. VARCHAR(255), TIMESTAMP WITH TIME ZONE"
    )
    nullable: bool
    default: str | None
    primary_key: bool


class ForeignKeyOut(BaseModel):
    columns: list[str]
    references: str = Field(description="'table.column' ('table.(a, b)' for a composite key)")


class TableOut(BaseModel):
    columns: list[ColumnOut]
    primary_key: list[str]
    foreign_keys: list[ForeignKeyOut]
    unique: list[list[str]]

    @classmethod
    def of(cls, table: TableInfo) -> TableOut:
        return cls(
            columns=[
                ColumnOut(
                    name=c.name,
                    type=c.type,
                    nullable=c.nullable,
                    default=c.default,
                    primary_key=c.primary_key,
                )
                for c in table.columns.values()
            ],
            primary_key=table.primary_key,
            foreign_keys=[
                ForeignKeyOut(columns=fk.columns, references=fk.references)
                for fk in table.foreign_keys
            ],
            unique=table.unique,
        )


class SchemaResponse(BaseModel):
    service: str
    tables: dict[str, TableOut]
