"""GET /schema: the live catalogue, what the monitor compares each contract with."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from datapact_agent.dependencies import AgentDep, CatalogueDep, ReaderPrincipal
from datapact_agent.metrics.report import render
from datapact_agent.metrics.router import MAX_PAGE_CHARS, MAX_PAGE_NAMES, page_names
from datapact_agent.metrics.schemas import PROTOCOL_VERSION
from datapact_agent.schema.schemas import SchemaResponse, table_out
from datapact_common.engines.base import EngineError, TableInfo
from datapact_common.exceptions import ServiceUnavailableError
from datapact_common.web import error_responses

router = APIRouter(tags=["protocol"])
_TABLE = r"[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?"
TABLES_PATTERN = rf"^{_TABLE}(,{_TABLE})*$"


def _page(tables: dict[str, TableInfo], names: list[str]) -> list[str]:
    """The tables asked for, as the catalogue names them (``public.t`` and ``t`` are one)."""
    found: dict[str, None] = {}
    for name in names:
        candidates = [name]
        if name.startswith("public."):
            candidates.append(name.removeprefix("public."))
        elif "." not in name:
            candidates.append(f"public.{name}")
        found.update((c, None) for c in candidates if c in tables)
    return sorted(found)


@router.get("/schema", response_model=SchemaResponse, responses=error_responses(401, 422, 503))
async def get_schema(
    agent: AgentDep,
    catalogue: CatalogueDep,
    _reader: ReaderPrincipal,
    tables: Annotated[
        str | None,
        Query(
            max_length=MAX_PAGE_CHARS,
            pattern=TABLES_PATTERN,
            description=f"a page: these tables only (comma-separated, at most "
            f"{MAX_PAGE_NAMES}; `t` and `public.t` name one table); tables that do not exist "
            "are left out, and the answer says `paged: true`. Without it, every table.",
        ),
    ] = None,
) -> Response:
    names = page_names(tables, "tables")
    try:
        live = await agent.catalogue(
            catalogue, 0.0 if names is None else agent.settings.page_catalogue_seconds
        )
    except EngineError as exc:
        raise ServiceUnavailableError(f"database unavailable ({exc})") from exc
    shown = sorted(live) if names is None else _page(live, names)
    document: dict[str, Any] = {
        "service": agent.settings.service_name,
        "protocol": PROTOCOL_VERSION,
        "engine": agent.engine.name,
        "tables": {name: table_out(live[name]) for name in shown},
    }
    if names is not None:
        document["paged"] = True
    return Response(render(document), media_type="application/json")
