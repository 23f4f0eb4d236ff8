"""Accepting events: validate the envelope, store it once (one autocommit statement), wake the
worker after the commit."""

from __future__ import annotations

import json
import logging
import math
import uuid
from typing import Any, NoReturn

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from datapact_common.events import PAYLOAD_MODELS, EventEnvelope, EventType
from datapact_common.exceptions import (
    DocumentParseError,
    InvalidRequestError,
    NotFoundError,
    UnsupportedMediaTypeError,
)
from datapact_common.json_safety import MAX_DEPTH, ensure_json_safe
from datapact_common.web import describe, summary
from notification_service.dates import in_utc
from notification_service.events import repository
from notification_service.events.models import Event
from notification_service.events.schemas import EventAccepted
from notification_service.events.wakeup import wakeup

logger = logging.getLogger(__name__)


_TYPES = frozenset(t.value for t in EventType)
# Integers are kept only when every consumer can hold them: 64 bits (PostgreSQL bigint,
# most JSON libraries). Python would refuse a 5,000-digit one with a ValueError (a 500).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_INT_DIGITS = len(str(INT_MAX))


class _NumberOutOfRangeError(ValueError):
    pass


class _NotJsonError(ValueError):
    pass


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits <= _INT_DIGITS:
        value = int(text)
        if INT_MIN <= value <= INT_MAX:
            return value
    shown = text if len(text) <= 24 else f"{text[:20]}… ({digits} digits)"
    raise _NumberOutOfRangeError(
        f"integer {shown} is out of range: integers must fit in 64 bits ({INT_MIN} to {INT_MAX})"
    )


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NumberOutOfRangeError(f"number {text[:24]} is too large: numbers must be finite")
    return value


def _constant(name: str) -> NoReturn:
    # NaN was stored as null before: data silently changed. JSON has no such values.
    raise _NotJsonError(f"invalid JSON: {name} is not a JSON number (JSON numbers are finite)")


def parse_body(body: bytes, content_type: str | None) -> Any:
    """The event as JSON (events are machine-to-machine; YAML is not taken here)."""
    media = (content_type or "application/json").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise UnsupportedMediaTypeError(
            f"unsupported content type {media!r}; send application/json"
        )
    if not body.strip():
        raise DocumentParseError("request body is empty")
    try:
        document = json.loads(
            body.decode("utf-8"), parse_int=_int, parse_float=_float, parse_constant=_constant
        )
    except _NumberOutOfRangeError as exc:
        raise InvalidRequestError(str(exc)) from None
    except _NotJsonError as exc:
        raise DocumentParseError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise DocumentParseError(f"body is not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise DocumentParseError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise DocumentParseError(f"JSON nested deeper than {MAX_DEPTH} levels") from exc
    ensure_json_safe(document)
    return document


def parse_envelope(document: Any) -> EventEnvelope:
    if not isinstance(document, dict):
        raise InvalidRequestError("the event must be a JSON object (the DataPact event envelope)")
    kind = document.get("type")
    if isinstance(kind, str) and kind not in _TYPES:
        known = ", ".join(t.value for t in EventType)
        raise InvalidRequestError(
            f"unknown event type {kind!r}; known types: {known}",
            errors=[{"loc": "type", "message": f"unknown event type {kind!r}", "type": "enum"}],
        )
    try:
        envelope = EventEnvelope.model_validate(document)
    except ValidationError as exc:
        outer = describe(exc.errors(include_url=False))
    else:
        in_utc(envelope.occurred_at, "occurred_at")  # stored as timestamptz
        return envelope
    # Validated again on its own so that the errors point into the payload ("payload.fields").
    errors: list[dict[str, Any]] = []
    payload = document.get("payload")
    if isinstance(kind, str) and isinstance(payload, dict):
        try:
            PAYLOAD_MODELS[EventType(kind)].model_validate(payload)
        except ValidationError as exc:
            errors = describe(exc.errors(include_url=False), prefix=("payload",))
    errors += [e for e in outer if not errors or not _from_payload(e)]
    raise InvalidRequestError(f"invalid event: {summary(errors)}", errors=errors)


def _from_payload(error: dict[str, Any]) -> bool:
    """An envelope error raised by the payload model (already reported with its location)."""
    return not str(error["loc"]).startswith((*EventEnvelope.model_fields, "payload"))


async def accept(engine: AsyncEngine, document: Any) -> EventAccepted:
    """Validate and store the event; when this returns, it is committed (durably)."""
    envelope = parse_envelope(document)
    values = envelope.model_dump(mode="python")
    inserted, processed = await repository.store_event(engine, values)
    if not processed:
        wakeup.request()  # after the commit: the statement committed on its own
    return EventAccepted(id=envelope.id, duplicate=not inserted)


async def get(session: AsyncSession, event_id: uuid.UUID) -> Event:
    event = await repository.get(session, event_id)
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    return event
