"""Subscriber rules: a team registers, updates or leaves; no new version (docs/design.md §4).

The subscribing team itself, the publisher team or an admin may manage a subscription.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts import repository as contracts_repo
from contract_service.contracts.models import Contract, serialize
from contract_service.contracts.service import flush_or_conflict
from contract_service.peers import nudge_dictionary
from contract_service.subscribers import repository as repo
from contract_service.subscribers.models import SubscriberRecord
from contract_service.subscribers.schemas import SubscriberUpdate
from datapact_common.contract_schema import ContractStatus, Subscriber
from datapact_common.db import after_commit
from datapact_common.documents import format_validation_errors
from datapact_common.exceptions import (
    ConflictError,
    ContractValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from datapact_common.offload import off_loop
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Principal


def parse_subscriber(data: Any) -> Subscriber:
    try:
        return Subscriber.model_validate(data)
    except ValidationError as exc:
        errors = format_validation_errors(exc)
        summary = "; ".join(f"{e['loc']}: {e['message']}" for e in errors[:5])
        raise ContractValidationError(f"invalid subscriber: {summary}", errors) from exc


def parse_update(data: Any) -> SubscriberUpdate:
    try:
        return SubscriberUpdate.model_validate(data)
    except ValidationError as exc:
        errors = format_validation_errors(exc)
        summary = "; ".join(f"{e['loc']}: {e['message']}" for e in errors[:5])
        raise ContractValidationError(f"invalid subscriber: {summary}", errors) from exc


def _ensure_can_manage(principal: Principal | None, team: str, contract: Contract) -> None:
    if principal is None:
        return
    if principal.can_write_team(team) or principal.can_write_team(contract.publisher_team):
        return
    raise PermissionDeniedError(
        f"only team '{team}', the publisher team '{contract.publisher_team}' or an admin "
        "may manage this subscription"
    )


def _check_fields(contract: Contract, fields_used: list[str]) -> None:
    known = {f["name"] for f in contract.document["schema"]}
    errors = [
        {
            "loc": f"fields_used.{index}",
            "message": f"'{name}' is not a field of '{contract.name}'",
            "type": "unknown_field",
        }
        for index, name in enumerate(fields_used)
        if name not in known
    ]
    repeated = [(i, name) for i, name in enumerate(fields_used) if name in fields_used[:i]]
    if repeated and not errors:
        names = ", ".join(sorted({name for _, name in repeated}))
        raise ContractValidationError(
            f"fields_used lists {names} more than once",
            [
                {
                    "loc": f"fields_used.{i}",
                    "message": f"'{name}' is listed more than once",
                    "type": "duplicate_field",
                }
                for i, name in repeated
            ],
        )
    if errors:
        unknown = ", ".join(sorted({e["message"].split("'")[1] for e in errors}))
        raise ContractValidationError(
            f"fields_used names unknown field(s) of '{contract.name}': {unknown}", errors
        )


async def _locked_contract(session: AsyncSession, contract_id: uuid.UUID) -> Contract:
    contract = await contracts_repo.lock(session, contract_id)
    if contract is None:
        raise NotFoundError(f"contract {contract_id} not found")
    return contract


async def _set_document_subscribers(contract: Contract, subscribers: list[dict[str, Any]]) -> None:
    document = {**contract.document, "subscribers": subscribers}
    contract.set_document(document, await off_loop(serialize, document))
    contract.updated_at = utcnow()


async def list_subscribers(
    session: AsyncSession, contract_id: uuid.UUID
) -> tuple[Contract, list[SubscriberRecord]]:
    contract = await contracts_repo.get(session, contract_id)
    if contract is None:
        raise NotFoundError(f"contract {contract_id} not found")
    return contract, await repo.list_for_contract(session, contract_id)


async def register(
    session: AsyncSession,
    contract_id: uuid.UUID,
    subscriber: Subscriber,
    principal: Principal | None,
) -> SubscriberRecord:
    contract = await _locked_contract(session, contract_id)
    _ensure_can_manage(principal, subscriber.team, contract)
    if contract.status == ContractStatus.DEPRECATED:
        raise ConflictError(
            f"contract '{contract.name}' is deprecated; it takes no new subscribers"
        )
    _check_fields(contract, subscriber.fields_used)
    taken = f"team '{subscriber.team}' already subscribes to '{contract.name}'; PUT to update"
    if await repo.get(session, contract.id, subscriber.team) is not None:
        raise ConflictError(taken)
    now = utcnow()
    row = SubscriberRecord(
        contract_id=contract.id,
        team=subscriber.team,
        use_case=subscriber.use_case,
        fields_used=list(subscriber.fields_used),
        contact_email=subscriber.contact_email,
        subscribed_at=now,
        updated_at=now,
    )
    session.add(row)
    entries = list(contract.document.get("subscribers", []))
    entries.append(subscriber.model_dump(mode="json"))
    await _set_document_subscribers(contract, entries)
    await flush_or_conflict(session, taken)
    after_commit(session, nudge_dictionary)
    return row


async def update(
    session: AsyncSession,
    contract_id: uuid.UUID,
    team: str,
    change: SubscriberUpdate,
    principal: Principal | None,
) -> SubscriberRecord:
    contract = await _locked_contract(session, contract_id)
    _ensure_can_manage(principal, team, contract)
    row = await repo.get(session, contract.id, team)
    if row is None:
        raise NotFoundError(f"team '{team}' does not subscribe to '{contract.name}'")
    if change.team is not None and change.team.strip() != team:
        raise ContractValidationError(
            "the team in the body differs from the one in the path",
            [{"loc": "team", "message": f"must be '{team}'", "type": "mismatch"}],
        )
    _check_fields(contract, change.fields_used)
    subscriber = Subscriber(
        team=team,
        use_case=change.use_case,
        fields_used=change.fields_used,
        contact_email=change.contact_email,
    )
    row.use_case = subscriber.use_case
    row.fields_used = list(subscriber.fields_used)
    row.contact_email = subscriber.contact_email
    row.updated_at = utcnow()
    entries = [
        subscriber.model_dump(mode="json") if entry.get("team") == team else entry
        for entry in contract.document.get("subscribers", [])
    ]
    await _set_document_subscribers(contract, entries)
    await session.flush()
    after_commit(session, nudge_dictionary)
    return row


async def leave(
    session: AsyncSession, contract_id: uuid.UUID, team: str, principal: Principal | None
) -> None:
    contract = await _locked_contract(session, contract_id)
    _ensure_can_manage(principal, team, contract)
    row = await repo.get(session, contract.id, team)
    if row is None:
        raise NotFoundError(f"team '{team}' does not subscribe to '{contract.name}'")
    await session.delete(row)
    entries = [e for e in contract.document.get("subscribers", []) if e.get("team") != team]
    await _set_document_subscribers(contract, entries)
    await session.flush()
    after_commit(session, nudge_dictionary)
