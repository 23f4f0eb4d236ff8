"""Catalog routes: /api/v1/dictionary and /api/v1/dictionary/datasets."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from datapact_common.contract_schema import ContractStatus
from datapact_common.web import ErrorBody
from dictionary_service.catalog import service
from dictionary_service.catalog.repository import DatasetFilters
from dictionary_service.catalog.schemas import DatasetDetail, DatasetPage, DictionarySummary
from dictionary_service.database import SessionDep
from dictionary_service.dependencies import SEARCHES_LIMIT, ReaderPrincipal, SyncRunnerDep
from dictionary_service.params import DATASET_NAME, NO_NUL

router = APIRouter(prefix="/api/v1/dictionary", tags=["dictionary"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "no dataset of that name"}
}


@router.get("", response_model=DictionarySummary)
async def get_summary(
    _: ReaderPrincipal, session: SessionDep, runner: SyncRunnerDep
) -> DictionarySummary:
    return await service.summary(session, await runner.status(session))


@router.get("/datasets", response_model=DatasetPage, dependencies=[SEARCHES_LIMIT])
async def list_datasets(
    session: SessionDep,
    _: ReaderPrincipal,
    team: Annotated[
        str | None, Query(max_length=255, pattern=NO_NUL, description="publisher team")
    ] = None,
    subscriber: Annotated[
        str | None, Query(max_length=255, pattern=NO_NUL, description="a team that subscribes")
    ] = None,
    tag: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    status: ContractStatus | None = None,
    skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DatasetPage:
    filters = DatasetFilters(
        team=team, subscriber=subscriber, tag=tag, status=status.value if status else None
    )
    return await service.list_datasets(session, filters, skip=skip, limit=limit)


@router.get("/datasets/{name}", response_model=DatasetDetail, responses=NOT_FOUND)
async def get_dataset(
    session: SessionDep,
    _: ReaderPrincipal,
    name: Annotated[str, Path(max_length=255, pattern=DATASET_NAME)],
) -> DatasetDetail:
    return await service.dataset_detail(session, name)
