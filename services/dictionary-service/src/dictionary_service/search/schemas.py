"""Search request and response models."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from datapact_common.contract_schema import ContractStatus, DataType


class HitKind(StrEnum):
    DATASET = "dataset"
    FIELD = "field"


class SearchQuery(BaseModel):
    q: str = ""
    data_type: DataType | None = None
    is_pii: bool | None = None
    team: str | None = None
    tag: str | None = None
    status: ContractStatus | None = None
    kind: HitKind | None = None
    skip: int = 0
    limit: int = 20


class Highlights(BaseModel):
    """HTML: the text escaped, matches wrapped in ``<mark>``."""

    name: str
    description: str | None = None


class SearchHit(BaseModel):
    kind: HitKind
    dataset: str
    field: str | None = Field(description="null for a dataset hit")
    data_type: str | None
    description: str | None
    is_pii: bool | None
    is_primary_key: bool | None
    is_foreign_key: bool | None
    foreign_key_reference: str | None
    team: str
    tags: list[str]
    status: str
    version: str
    exact: bool = Field(description="the name equals the query")
    score: float
    highlights: Highlights


class Facets(BaseModel):
    """Counts over every hit of the query (not just this page), filters applied."""

    kind: dict[str, int]
    data_type: dict[str, int]
    is_pii: dict[str, int]
    team: dict[str, int]
    tag: dict[str, int]
    status: dict[str, int]


class SearchResponse(BaseModel):
    query: str
    total: int
    skip: int
    limit: int
    results: list[SearchHit]
    facets: Facets
