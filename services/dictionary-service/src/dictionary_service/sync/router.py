"""POST /api/v1/dictionary/sync: the nudge. How the sync is doing is part of
GET /api/v1/dictionary (``sync``)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from dictionary_service.dependencies import NudgerPrincipal, SyncRunnerDep

router = APIRouter(
    prefix="/api/v1/dictionary/sync",
    tags=["sync"],
    responses={401: {"description": "no token"}, 403: {"description": "not the contract-service"}},
)


class SyncAccepted(BaseModel):
    status: str = "accepted"
    running: bool


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=SyncAccepted)
async def nudge(_: NudgerPrincipal, runner: SyncRunnerDep) -> SyncAccepted:
    """Ask for a sync now (the contract-service's token, or an admin's). Answers at once;
    nudges during a run coalesce into one more run."""
    runner.nudge()
    return SyncAccepted(running=runner.running)
