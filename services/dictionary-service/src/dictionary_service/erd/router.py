"""GET /api/v1/erd (React Flow JSON) and /api/v1/erd/mermaid (text/plain)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from dictionary_service.database import SessionDep
from dictionary_service.dependencies import SEARCHES_LIMIT, Reader
from dictionary_service.erd import mermaid, service
from dictionary_service.erd.schemas import ErdGraph
from dictionary_service.params import DATASET_NAME, NO_NUL

router = APIRouter(prefix="/api/v1/erd", tags=["erd"], dependencies=[SEARCHES_LIMIT])

Team = Annotated[
    str | None,
    Query(max_length=255, pattern=NO_NUL, description="datasets a team publishes or reads"),
]
DatasetName = Annotated[
    str | None,
    Query(max_length=255, pattern=DATASET_NAME, description="one dataset and its neighbours"),
]
Depth = Annotated[
    int, Query(ge=0, le=service.MAX_DEPTH, description="foreign-key hops from `dataset`")
]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "the dataset is not in the dictionary"},
    422: {"description": "invalid or conflicting filters"},
}


@router.get("", response_model=ErdGraph, responses=ERRORS)
async def erd_json(
    session: SessionDep, _: Reader, team: Team = None, dataset: DatasetName = None, depth: Depth = 1
) -> ErdGraph:
    graph = await service.load_graph(session, team=team, dataset=dataset, depth=depth)
    return service.to_react_flow(graph)


@router.get(
    "/mermaid",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}, **ERRORS},
)
async def erd_mermaid(
    session: SessionDep, _: Reader, team: Team = None, dataset: DatasetName = None, depth: Depth = 1
) -> PlainTextResponse:
    graph = await service.load_graph(session, team=team, dataset=dataset, depth=depth)
    return PlainTextResponse(mermaid.render(graph), media_type="text/plain; charset=utf-8")
