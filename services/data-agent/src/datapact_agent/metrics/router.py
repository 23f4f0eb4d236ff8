"""GET /metrics: every promise of every contract (or of a page of them), counted on the live
data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from datapact_agent.dependencies import AgentDep, CatalogueDep, ReaderPrincipal
from datapact_agent.metrics.report import render
from datapact_agent.metrics.schemas import MetricsResponse
from datapact_common.exceptions import InvalidRequestError
from datapact_common.web import error_responses

router = APIRouter(tags=["protocol"])

# A page: at most this many names, in a query string a server reads (h11: 16 KiB a head).
MAX_PAGE_NAMES = 500
MAX_PAGE_CHARS = 12_000
NAMES_PATTERN = r"^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$"


def page_names(text: str | None, what: str) -> list[str] | None:
    if text is None:
        return None
    names = text.split(",")
    if len(names) > MAX_PAGE_NAMES:
        raise InvalidRequestError(f"at most {MAX_PAGE_NAMES} {what} per request ({len(names)})")
    return names


@router.get(
    "/metrics",
    response_model=MetricsResponse,
    responses=error_responses(401, 422),
)
async def get_metrics(
    agent: AgentDep,
    catalogue: CatalogueDep,
    _reader: ReaderPrincipal,
    contracts: Annotated[
        str | None,
        Query(
            max_length=MAX_PAGE_CHARS,
            pattern=NAMES_PATTERN,
            description=f"a page: these contracts only (comma-separated names, at most "
            f"{MAX_PAGE_NAMES}); names the agent does not serve are left out, and the answer "
            "says `paged: true`. Without it, every contract.",
        ),
    ] = None,
) -> Response:
    names = page_names(contracts, "contracts")
    document = (
        await agent.metrics(catalogue)
        if names is None
        else await agent.metrics_page(catalogue, names)
    )
    return Response(render(document), media_type="application/json")
