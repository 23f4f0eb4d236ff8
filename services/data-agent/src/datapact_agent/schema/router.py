"""GET /schema: the live catalogue, what the monitor compares each contract with."""

from __future__ import annotations

from fastapi import APIRouter

from datapact_agent.dependencies import AgentDep, CatalogueDep, ReaderPrincipal
from datapact_agent.metrics.schemas import PROTOCOL_VERSION
from datapact_agent.schema.schemas import SchemaResponse, TableOut
from datapact_common.engines.base import EngineError
from datapact_common.exceptions import ServiceUnavailableError
from datapact_common.web import error_responses

router = APIRouter(tags=["protocol"])


@router.get("/schema", response_model=SchemaResponse, responses=error_responses(401, 503))
async def get_schema(
    agent: AgentDep, catalogue: CatalogueDep, _reader: ReaderPrincipal
) -> SchemaResponse:
    try:
        tables = await agent.catalogue(catalogue)
    except EngineError as exc:
        raise ServiceUnavailableError(f"database unavailable ({exc})") from exc
    return SchemaResponse(
        service=agent.settings.service_name,
        protocol=PROTOCOL_VERSION,
        engine=agent.engine.name,
        tables={name: TableOut.of(table) for name, table in sorted(tables.items())},
    )
