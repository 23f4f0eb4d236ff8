"""POST /api/v1/dictionary/sync (the nudge) and GET (how the sync is doing)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from dictionary_service.catalog.schemas import SyncStatus
from dictionary_service.database import SessionDep
from dictionary_service.dependencies import Reader, SyncRunnerDep
from dictionary_service.sync.repository import read_state

router = APIRouter(prefix="/api/v1/dictionary/sync", tags=["sync"])


class SyncAccepted(BaseModel):
    status: str = "accepted"
    running: bool


class SyncReport(SyncStatus):
    running: bool


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=SyncAccepted)
async def nudge(runner: SyncRunnerDep, _: Reader) -> SyncAccepted:
    """Ask for a sync now. Answers at once; nudges during a run coalesce into one more run."""
    runner.nudge()
    return SyncAccepted(running=runner.running)


@router.get("", response_model=SyncReport)
async def sync_status(session: SessionDep, runner: SyncRunnerDep, _: Reader) -> SyncReport:
    state = await read_state(session)
    base = SyncStatus.model_validate(state) if state else SyncStatus()
    return SyncReport(**base.model_dump(), running=runner.running)
