"""GET /api/v1/erd (React Flow JSON) and /api/v1/erd/mermaid (text/plain).

Both are capped (``DICTIONARY_ERD_MAX_*``) and drawn in the shared bounded worker pool
(``datapact_common.offload``): the unfiltered ERD of a large registry was 13 MB and seconds
of CPU, and four at once held ``/health``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse

from datapact_common.offload import off_loop
from datapact_common.web import ErrorBody
from dictionary_service.config import get_settings
from dictionary_service.database import SessionDep
from dictionary_service.dependencies import SEARCHES_LIMIT, ReaderPrincipal
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
# Named as JSON content, not as a model: FastAPI would give a model the route's own media
# type, and the Mermaid route's errors are JSON like every other error.
_ERROR_BODY = {
    "application/json": {"schema": {"$ref": f"#/components/schemas/{ErrorBody.__name__}"}}
}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "the dataset is not in the dictionary", "content": _ERROR_BODY},
    422: {"description": "invalid or conflicting filters", "content": _ERROR_BODY},
}


def limits() -> service.Limits:
    settings = get_settings()
    return service.Limits(datasets=settings.erd_max_datasets, fields=settings.erd_max_fields)


@router.get("", response_model=ErdGraph, responses=ERRORS)
async def erd_json(
    session: SessionDep,
    _: ReaderPrincipal,
    team: Team = None,
    dataset: DatasetName = None,
    depth: Depth = 1,
) -> Response:
    graph = await service.load_graph(
        session, team=team, dataset=dataset, depth=depth, limits=limits()
    )
    body = await off_loop(service.react_flow_json, graph)
    return Response(body, media_type="application/json")


@router.get(
    "/mermaid",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}, **ERRORS},
)
async def erd_mermaid(
    session: SessionDep,
    _: ReaderPrincipal,
    team: Team = None,
    dataset: DatasetName = None,
    depth: Depth = 1,
) -> PlainTextResponse:
    graph = await service.load_graph(
        session, team=team, dataset=dataset, depth=depth, limits=limits()
    )
    text = await off_loop(mermaid.render, graph)
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")
