"""POST /api/v1/dictionary/sync: the nudge. How the sync is doing is part of
GET /api/v1/dictionary (``sync``)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from dictionary_service.dependencies import Reader, SyncRunnerDep

router = APIRouter(prefix="/api/v1/dictionary/sync", tags=["sync"])


class SyncAccepted(BaseModel):
    status: str = "accepted"
    running: bool


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=SyncAccepted)
async def nudge(runner: SyncRunnerDep, _: Reader) -> SyncAccepted:
    """Ask for a sync now. Answers at once; nudges during a run coalesce into one more run."""
    runner.nudge()
    return SyncAccepted(running=runner.running)
