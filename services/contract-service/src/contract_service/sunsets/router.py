"""The deprecated fields of a contract and who has not migrated yet (docs/workflow.md)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response

from contract_service.database import ReadSessionDep
from contract_service.dependencies import ReaderPrincipal
from contract_service.responses import json_response
from contract_service.sunsets import service
from contract_service.sunsets.schemas import DeprecationList
from datapact_common.web import ErrorBody

router = APIRouter(prefix="/api/v1/contracts", tags=["proposals"])


@router.get(
    "/{contract_id}/deprecations",
    response_model=DeprecationList,
    responses={404: {"model": ErrorBody}, 401: {"model": ErrorBody}},
)
async def list_deprecations(
    contract_id: Annotated[uuid.UUID, Path(description="contract id")],
    session: ReadSessionDep,
    _: ReaderPrincipal,
) -> Response:
    """Each deprecated field with its sunset, the subscribers still reading it (not
    migrated: their `fields_used` name it, or they use every field) and those that dropped it."""
    return json_response(await service.deprecations(session, contract_id))
