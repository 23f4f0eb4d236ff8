"""GET /metrics: every promise of every contract, counted on the live data."""

from __future__ import annotations

from fastapi import APIRouter

from datapact_agent.dependencies import AgentDep, CatalogueDep, ReaderPrincipal
from datapact_agent.metrics.schemas import MetricsResponse
from datapact_common.web import error_responses

router = APIRouter(tags=["protocol"])


@router.get("/metrics", response_model=MetricsResponse, responses=error_responses(401))
async def get_metrics(
    agent: AgentDep, catalogue: CatalogueDep, _reader: ReaderPrincipal
) -> MetricsResponse:
    return await agent.metrics(catalogue)
