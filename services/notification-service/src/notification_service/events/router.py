from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from datapact_common.events import EventEnvelope
from datapact_common.web import error_responses
from notification_service.database import SessionDep, get_ingest_engine
from notification_service.dependencies import EventSourcePrincipal, ReaderPrincipal
from notification_service.events import service
from notification_service.events.schemas import EventAccepted, EventOut

router = APIRouter(prefix="/api/v1/events", tags=["events"], responses=error_responses(401, 422))


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


_ENVELOPE_SCHEMA = _inline_refs(EventEnvelope.model_json_schema())


@router.post(
    "",
    status_code=202,
    response_model=EventAccepted,
    summary="Accept an event (the service tokens of the contract-service and the monitor)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ENVELOPE_SCHEMA}},
        }
    },
    responses=error_responses(400, 403, 413, 415),
)
async def post_event(request: Request, principal: EventSourcePrincipal) -> Response:
    document = service.parse_body(await request.body(), request.headers.get("content-type"))
    accepted = await service.accept(get_ingest_engine(), document)
    # Serialised here (the declared response_model documents it): no second validation.
    return Response(accepted.model_dump_json(), status_code=202, media_type="application/json")


@router.get("/{event_id}", response_model=EventOut, responses=error_responses(404))
async def get_event(event_id: uuid.UUID, session: SessionDep, reader: ReaderPrincipal) -> EventOut:
    return EventOut.model_validate(await service.get(session, event_id))
