from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from notification_service.database import SessionDep
from notification_service.dependencies import Reader, WriterPrincipal
from notification_service.errors import error_responses
from notification_service.preferences import service
from notification_service.preferences.schemas import PreferenceIn, PreferenceOut
from notification_service.text import NoNul

router = APIRouter(
    prefix="/api/v1/preferences", tags=["preferences"], responses=error_responses(401, 422)
)

EmailPath = Annotated[
    NoNul,
    Path(
        max_length=320,
        description="the recipient's e-mail address",
        json_schema_extra={"format": "email"},
    ),
]


@router.get("/{email}", response_model=PreferenceOut)
async def get_preference(email: EmailPath, session: SessionDep, reader: Reader) -> PreferenceOut:
    return await service.get(session, email)


@router.put("/{email}", response_model=PreferenceOut, responses=error_responses(400, 403, 413))
async def put_preference(
    email: EmailPath, body: PreferenceIn, session: SessionDep, principal: WriterPrincipal
) -> PreferenceOut:
    return await service.put(session, email, body, principal)
