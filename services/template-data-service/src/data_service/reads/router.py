"""GET /data/{dataset}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from data_service.database import EngineDep
from data_service.dependencies import SEARCHES_LIMIT, CatalogDep, ReaderDep, SettingsDep
from data_service.reads.schemas import DataPage
from data_service.reads.service import read_dataset
from datapact_common.web import error_responses

router = APIRouter(tags=["data"])


@router.get(
    "/data/{dataset}",
    response_model=DataPage,
    responses=error_responses(401, 404, 503),
    dependencies=[SEARCHES_LIMIT],
)
async def get_data(
    dataset: Annotated[str, Path(description="the contract name", max_length=255)],
    engine: EngineDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    principal: ReaderDep,
    limit: Annotated[
        int, Query(ge=1, le=10_000, description="page size (capped at DATA_MAX_PAGE_SIZE)")
    ] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> DataPage:
    page_size = min(limit, settings.data_max_page_size)
    return await read_dataset(engine, catalog, dataset, principal, page_size, offset)
