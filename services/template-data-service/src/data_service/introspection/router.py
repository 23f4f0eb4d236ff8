"""GET /schema: what the compliance monitor compares with each contract."""

from __future__ import annotations

from fastapi import APIRouter, Request

from data_service.dependencies import SEARCHES_LIMIT, CatalogDep, ReaderDep, SettingsDep
from data_service.introspection.schemas import SchemaResponse, TableOut
from data_service.introspection.service import SchemaService, schemas_of
from datapact_common.web import error_responses

router = APIRouter(tags=["protocol"])


@router.get(
    "/schema",
    response_model=SchemaResponse,
    responses=error_responses(401, 503),
    dependencies=[SEARCHES_LIMIT],
)
async def get_schema(
    request: Request, settings: SettingsDep, catalog: CatalogDep, _reader: ReaderDep
) -> SchemaResponse:
    service: SchemaService = request.app.state.schema_service
    tables = await service.tables(schemas_of(catalog))
    return SchemaResponse(
        service=settings.service_name,
        tables={name: TableOut.of(table) for name, table in tables.items()},
    )
