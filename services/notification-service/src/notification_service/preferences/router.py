from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from datapact_common.web import error_responses
from notification_service.access import CallerDep
from notification_service.database import SessionDep
from notification_service.preferences import service
from notification_service.preferences.schemas import PreferenceIn, PreferenceOut
from notification_service.text import NoNul

router = APIRouter(
    prefix="/api/v1/preferences", tags=["preferences"], responses=error_responses(401, 403, 422)
)

EmailPath = Annotated[
    NoNul,
    Path(
        max_length=320,
        description="the recipient's e-mail address",
        json_schema_extra={"format": "email"},
    ),
]


OWNER_ONLY = (
    "For the address's owner: a token whose `email` claim is that address, an admin token, "
    "or the signed link of a DataPact e-mail in the `X-DataPact-Link` header."
)


@router.get("/{email}", response_model=PreferenceOut, description=OWNER_ONLY)
async def get_preference(email: EmailPath, session: SessionDep, caller: CallerDep) -> PreferenceOut:
    return await service.get(session, email, caller)


@router.put(
    "/{email}",
    response_model=PreferenceOut,
    responses=error_responses(400, 413),
    description=OWNER_ONLY,
)
async def put_preference(
    email: EmailPath, body: PreferenceIn, session: SessionDep, caller: CallerDep
) -> PreferenceOut:
    return await service.put(session, email, body, caller)
