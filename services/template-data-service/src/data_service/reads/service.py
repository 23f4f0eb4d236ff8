"""Read one page of a dataset as its contract describes it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlalchemy.ext.asyncio import AsyncEngine

from data_service.catalog.store import Catalog
from data_service.introspection.inspector import inspect_table_columns
from data_service.reads.access import visible_pii
from data_service.reads.repository import read_page
from data_service.reads.schemas import DataPage
from datapact_common.exceptions import NotFoundError
from datapact_common.tokens import Principal

_LISTED_NAMES = 20


def _encode(value: Any) -> Any:
    """JSON-safe value; decimals as strings so no precision is lost."""
    if isinstance(value, Decimal):
        return str(value)
    return jsonable_encoder(value)


async def read_dataset(
    engine: AsyncEngine,
    catalog: Catalog,
    dataset: str,
    principal: Principal | None,
    limit: int,
    offset: int,
) -> DataPage:
    contract = catalog.get(dataset)
    if contract is None:
        known = catalog.names
        listed = ", ".join(known[:_LISTED_NAMES]) + (", ..." if len(known) > _LISTED_NAMES else "")
        raise NotFoundError(f"unknown dataset {dataset!r}; this service publishes: {listed}")
    table_name = contract.effective_table
    async with engine.connect() as connection:
        info = await connection.run_sync(lambda sync: inspect_table_columns(sync, table_name))
        if info is None:
            raise NotFoundError(f"dataset {dataset!r}: table '{table_name}' does not exist")
        fields = [f for f in contract.field_names if f in info.columns]
        missing = [f for f in contract.field_names if f not in info.columns]
        keys = [f.name for f in contract.schema_fields if f.is_primary_key] or [
            f.name for f in contract.schema_fields if f.unique
        ]
        order_by = [k for k in keys if k in info.columns] or fields
        rows = await read_page(connection, table_name, fields, order_by, limit + 1, offset)
    pii = {f.name for f in contract.schema_fields if f.is_pii}
    redacted = [f for f in fields if f in pii - visible_pii(contract, principal)]
    items = [
        {name: None if name in redacted else _encode(row[name]) for name in fields}
        for row in rows[:limit]
    ]
    return DataPage(
        dataset=dataset,
        table=table_name,
        fields=fields,
        items=items,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if len(rows) > limit else None,
        redacted_fields=redacted,
        missing_fields=missing,
    )
