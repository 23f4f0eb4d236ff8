"""The ERD as React Flow nodes and edges (positions are left to the client's layout)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Position(BaseModel):
    x: float = 0.0
    y: float = 0.0


class ErdField(BaseModel):
    name: str
    data_type: str
    nullable: bool
    is_primary_key: bool
    is_foreign_key: bool
    is_pii: bool
    references: str | None = Field(description="'dataset.field' of a foreign key")


class DatasetNodeData(BaseModel):
    name: str
    missing: bool = Field(description="referenced by a foreign key but not in the registry")
    team: str | None = None
    status: str | None = None
    version: str | None = None
    description: str | None = None
    fields: list[ErdField] = Field(default_factory=list)


class TeamNodeData(BaseModel):
    name: str


class DatasetNode(BaseModel):
    id: str = Field(description="'dataset:<name>'")
    type: Literal["dataset"] = "dataset"
    position: Position = Field(default_factory=Position)
    data: DatasetNodeData


class TeamNode(BaseModel):
    id: str = Field(description="'team:<name>'")
    type: Literal["team"] = "team"
    position: Position = Field(default_factory=Position)
    data: TeamNodeData


class ForeignKeyData(BaseModel):
    from_field: str
    to_field: str
    cardinality: Literal["many-to-one", "one-to-one"]
    optional: bool = Field(description="the foreign key field is nullable")
    missing_field: bool = Field(description="the referenced dataset lacks the referenced field")


class SubscriptionData(BaseModel):
    team: str
    use_case: str | None
    fields_used: list[str]


class ForeignKeyEdge(BaseModel):
    id: str
    type: Literal["foreign_key"] = "foreign_key"
    source: str
    target: str
    label: str
    missing: bool = Field(description="the target dataset is not in the registry")
    data: ForeignKeyData


class SubscriptionEdge(BaseModel):
    id: str
    type: Literal["subscription"] = "subscription"
    source: str = Field(description="'team:<name>'")
    target: str
    label: str
    missing: bool = False
    data: SubscriptionData


class ErdGraph(BaseModel):
    nodes: list[DatasetNode | TeamNode]
    edges: list[ForeignKeyEdge | SubscriptionEdge]
    total_datasets: int = Field(description="datasets the filter selected (drawn or not)")
    truncated: bool = Field(
        description="more datasets were selected than one ERD draws; `message` says how to filter"
    )
    message: str | None = Field(default=None, description="why the graph is cut, how to filter")
