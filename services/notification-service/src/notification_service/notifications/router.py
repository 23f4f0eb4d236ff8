from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from datapact_common.events import EventType
from datapact_common.exceptions import InvalidRequestError
from datapact_common.web import error_responses
from notification_service.access import CallerDep
from notification_service.database import SessionDep
from notification_service.dates import in_utc
from notification_service.dependencies import SEARCHES_LIMIT, AdminPrincipal
from notification_service.notifications import service
from notification_service.notifications.models import DIGEST_TYPE, Channel, Status
from notification_service.notifications.repository import NotificationFilter
from notification_service.notifications.schemas import NotificationDetail, NotificationPage
from notification_service.text import NoNul, normalize_email

router = APIRouter(
    prefix="/api/v1/notifications", tags=["notifications"], responses=error_responses(401, 422)
)

TypeFilter = Annotated[
    EventType | None, Query(description=f"an event type (or use kind={DIGEST_TYPE})")
]


def parse_since(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequestError(
            f"since: {value!r} is not an ISO-8601 date-time (e.g. 2024-05-01T12:00:00Z)",
            errors=[
                {
                    "loc": "query.since",
                    "message": "not an ISO-8601 date-time",
                    "type": "value_error",
                }
            ],
        ) from None
    return in_utc(parsed, "query.since")


@router.get(
    "",
    response_model=NotificationPage,
    responses=error_responses(403),
    description="Recipients' e-mail addresses are masked (`…@domain`) unless the caller may "
    "see them: admin tokens, the address's owner (token email claim or e-mail link). "
    "Filtering by a `recipient` address needs the same.",
    dependencies=[SEARCHES_LIMIT],
)
async def list_notifications(
    session: SessionDep,
    caller: CallerDep,
    contract: Annotated[NoNul | None, Query(max_length=255)] = None,
    recipient: Annotated[NoNul | None, Query(max_length=320)] = None,
    type: TypeFilter = None,
    digest: Annotated[bool, Query(description="only digests")] = False,
    status: Status | None = None,
    channel: Channel | None = None,
    event_id: uuid.UUID | None = None,
    since: Annotated[
        str | None,
        Query(
            description="ISO-8601 date-time; without an offset it is UTC",
            json_schema_extra={"format": "date-time"},
            max_length=64,
        ),
    ] = None,
    skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> NotificationPage:
    if recipient and "@" in recipient:
        recipient = normalize_email(recipient)
        caller.require_may_see(recipient)
    filters = NotificationFilter(
        contract=contract,
        recipient=recipient,
        type=DIGEST_TYPE if digest else (type.value if type else None),
        status=status.value if status else None,
        channel=channel.value if channel else None,
        event_id=event_id,
        since=parse_since(since) if since is not None else None,
    )
    return await service.history(session, filters, caller, skip=skip, limit=limit)


@router.get("/{notification_id}", response_model=NotificationDetail, responses=error_responses(404))
async def get_notification(
    notification_id: uuid.UUID, session: SessionDep, caller: CallerDep
) -> NotificationDetail:
    return service.detail(await service.get(session, notification_id), caller)


@router.post(
    "/{notification_id}/retry",
    response_model=NotificationDetail,
    responses=error_responses(403, 404, 409),
    summary="Send a failed notification again (admin token)",
)
async def retry_notification(
    notification_id: uuid.UUID, session: SessionDep, principal: AdminPrincipal
) -> NotificationDetail:
    return NotificationDetail.model_validate(await service.retry(session, notification_id))
