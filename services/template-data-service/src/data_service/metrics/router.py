"""GET /metrics: what the compliance monitor checks the quality SLAs against."""

from __future__ import annotations

from fastapi import APIRouter, Request

from data_service.dependencies import SEARCHES_LIMIT, CatalogDep, ReaderDep, SettingsDep
from data_service.metrics.schemas import MetricsResponse
from data_service.metrics.service import MetricsService
from datapact_common.web import error_responses

router = APIRouter(tags=["protocol"])


@router.get(
    "/metrics",
    response_model=MetricsResponse,
    responses=error_responses(401, 503),
    dependencies=[SEARCHES_LIMIT],
)
async def get_metrics(
    request: Request, settings: SettingsDep, catalog: CatalogDep, _reader: ReaderDep
) -> MetricsResponse:
    service: MetricsService = request.app.state.metrics_service
    return await service.collect(settings.service_name, catalog)
