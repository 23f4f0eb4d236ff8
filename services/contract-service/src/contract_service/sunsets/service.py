"""The sunset sweep: each deprecated field's readers get one notice, then reminders 14, 7
and 1 days before its sunset (docs/workflow.md). Run by the contract-worker's beat; the day
is an argument, so tests drive it with a clock of their own."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.config import SERVICE_NAME
from contract_service.outbox.service import enqueue
from contract_service.sunsets import repository as repo
from contract_service.sunsets.schedule import NOTICE, Sunset, sunsets
from datapact_common.contract_schema import ContractDefinition
from datapact_common.events import (
    DeprecationWarningPayload,
    EventEnvelope,
    EventSeverity,
    EventType,
)
from datapact_common.exceptions import NotFoundError
from datapact_common.timeutil import utcnow

# Event ids derive from what they announce, so a notice is one event however often it is
# written (the notification-service de-duplicates by id).
_EVENT_NAMESPACE = uuid.UUID("5b0c8a57-53d5-4c1e-9a5e-8d7f0f3f2a61")


def sunset_event(
    contract_id: uuid.UUID, contract: ContractDefinition, sunset: Sunset, stage: str, today: date
) -> EventEnvelope:
    deprecation = sunset.deprecation
    days_left = sunset.days_left(today)
    key = f"{contract.name}:{sunset.field}:{deprecation.sunset}:{stage}"
    when = f", sunset {deprecation.sunset}" if deprecation.sunset else ""
    what = "deprecated" if stage == NOTICE else f"reaches its sunset in {days_left} day(s)"
    payload = DeprecationWarningPayload(contract_id=str(contract_id), fields=[sunset.field])
    data = payload.model_dump(mode="json") | {
        "field": sunset.field,
        "since": deprecation.since.isoformat() if deprecation.since else None,
        "sunset": deprecation.sunset.isoformat() if deprecation.sunset else None,
        "replacement": deprecation.replacement,
        "days_left": days_left,
        "stage": stage,
        "subscribers": sunset.readers,
    }
    return EventEnvelope(
        id=uuid.uuid5(_EVENT_NAMESPACE, f"{contract_id}:{key}"),
        type=EventType.DEPRECATION_WARNING,
        source=SERVICE_NAME,
        contract_name=contract.name,
        contract_version=contract.version,
        severity=EventSeverity.WARNING,
        title=f"Field {sunset.field} {what}{when}"[:500],
        payload=data,
        dedup_key=f"field_sunset:{key}"[:500],
    )


async def sweep(session: AsyncSession, today: date) -> list[EventEnvelope]:
    """Write the notices and reminders due on ``today`` to the outbox; returns them."""
    written: list[EventEnvelope] = []
    for contract_id, document in await repo.contracts_with_deprecations(session):
        contract = ContractDefinition.model_validate(document)
        sent = await repo.sent(session, contract_id)
        for sunset in sunsets(contract):
            if not sunset.readers:
                continue  # everyone migrated: nobody to tell
            stages = sunset.due(today, sent.get((sunset.field, sunset.deprecation.sunset), set()))
            if not stages:
                continue
            recorded = [
                await repo.record(session, contract_id, sunset.field, sunset.deprecation.sunset, s)
                for s in stages
            ]
            if recorded[0]:
                event = sunset_event(contract_id, contract, sunset, stages[0], today)
                enqueue(session, event)
                written.append(event)
    await session.flush()
    return written


async def deprecations(session: AsyncSession, contract_id: uuid.UUID) -> dict[str, object]:
    contract = await repo.contract(session, contract_id)
    if contract is None:
        raise NotFoundError(f"contract {contract_id} not found")
    definition = ContractDefinition.model_validate(contract.document)
    sent = await repo.sent(session, contract_id)
    today = utcnow().date()
    return {
        "contract_id": str(contract.id),
        "name": contract.name,
        "fields": [
            {
                "field": s.field,
                "since": s.deprecation.since,
                "sunset": s.deprecation.sunset,
                "replacement": s.deprecation.replacement,
                "days_left": s.days_left(today),
                "not_migrated": s.readers,
                "migrated": s.migrated,
                "reminders_sent": sorted(sent.get((s.field, s.deprecation.sunset), set())),
            }
            for s in sunsets(definition)
        ],
    }
