"""GET /api/v1/dictionary/search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from datapact_common.contract_schema import ContractStatus, DataType
from dictionary_service.database import ReadSessionDep
from dictionary_service.dependencies import SEARCHES_LIMIT, ReaderPrincipal
from dictionary_service.params import NO_NUL
from dictionary_service.search import service
from dictionary_service.search.schemas import HitKind, SearchQuery, SearchResponse

router = APIRouter(prefix="/api/v1/dictionary", tags=["search"], dependencies=[SEARCHES_LIMIT])


@router.get("/search", response_model=SearchResponse)
async def search(
    session: ReadSessionDep,
    _: ReaderPrincipal,
    q: Annotated[
        str, Query(max_length=200, pattern=NO_NUL, description="words, prefixes or a misspelt name")
    ] = "",
    data_type: DataType | None = None,
    is_pii: bool | None = None,
    team: Annotated[
        str | None, Query(max_length=255, pattern=NO_NUL, description="publisher team")
    ] = None,
    tag: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    status: ContractStatus | None = None,
    kind: Annotated[HitKind | None, Query(description="only datasets or only fields")] = None,
    skip: Annotated[int, Query(ge=0, le=10_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResponse:
    query = SearchQuery(
        q=q,
        data_type=data_type,
        is_pii=is_pii,
        team=team,
        tag=tag,
        status=status,
        kind=kind,
        skip=skip,
        limit=limit,
    )
    return await service.search(session, query)
