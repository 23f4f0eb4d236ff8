"""GET /schema: the live catalogue, what the monitor compares each contract with."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from datapact_agent.dependencies import AgentDep, CatalogueDep, ReaderDep
from datapact_agent.metrics.schemas import PROTOCOL_VERSION
from datapact_agent.responses import AUTH_ERRORS, DATABASE_UNAVAILABLE
from datapact_agent.schema.schemas import SchemaResponse, TableOut
from datapact_common.engines.base import EngineError

router = APIRouter(tags=["protocol"])


@router.get(
    "/schema", response_model=SchemaResponse, responses={**DATABASE_UNAVAILABLE, **AUTH_ERRORS}
)
async def get_schema(
    agent: AgentDep, catalogue: CatalogueDep, _reader: ReaderDep
) -> SchemaResponse | JSONResponse:
    try:
        tables = await agent.catalogue(catalogue)
    except EngineError as exc:
        return JSONResponse(
            status_code=503,
            content={"detail": f"database unavailable ({exc})"},
            headers={"Retry-After": "5"},
        )
    return SchemaResponse(
        service=agent.settings.service_name,
        protocol=PROTOCOL_VERSION,
        engine=agent.engine.name,
        tables={name: TableOut.of(table) for name, table in sorted(tables.items())},
    )
