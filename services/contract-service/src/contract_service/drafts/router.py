"""POST /api/v1/drafts/from-sql: contract drafts from an uploaded DDL file (thin route)."""

from __future__ import annotations

from fastapi import APIRouter

from contract_service.dependencies import DOCUMENTS_LIMIT, CurrentPrincipal
from contract_service.drafts.schemas import DraftFromSqlRequest, DraftFromSqlResult
from contract_service.drafts.service import draft_from_sql
from datapact_common.web import ErrorBody

router = APIRouter(prefix="/api/v1/drafts", tags=["drafts"])


@router.post(
    "/from-sql",
    response_model=DraftFromSqlResult,
    dependencies=[DOCUMENTS_LIMIT],
    responses={
        400: {"model": ErrorBody, "description": "the body is not valid JSON"},
        401: {"model": ErrorBody, "description": "no or invalid token"},
        403: {"model": ErrorBody, "description": "the token may not create contracts (of team)"},
        413: {"model": ErrorBody, "description": "body too large"},
        422: {"model": ErrorBody, "description": "bad request, or nothing could be drafted"},
    },
)
async def draft_contracts_from_sql(
    body: DraftFromSqlRequest, principal: CurrentPrincipal
) -> DraftFromSqlResult:
    """Draft one contract per table of the DDL, as `datapact init --from-sql` does (the same
    reader, the same drafts); nothing is stored. The caller must be allowed to create
    contracts (of `team`, when given)."""
    return await draft_from_sql(body, principal)
