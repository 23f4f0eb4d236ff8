"""A contract document as the registry serves it: the contract plus its server fields."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.exceptions import ContractValidationError


class _RegistryFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    updated_at: AwareDatetime
    created_at: AwareDatetime | None = None


@dataclass(frozen=True)
class ContractSnapshot:
    """One version of a contract, as fetched from the registry."""

    id: uuid.UUID
    updated_at: datetime
    created_at: datetime | None
    contract: ContractDefinition

    @property
    def name(self) -> str:
        return self.contract.name


class _RegistryKey(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    updated_at: AwareDatetime


def registry_key(document: dict[str, Any]) -> tuple[uuid.UUID, datetime] | None:
    """``(id, updated_at)`` of a listed document, even when the rest of it is unusable."""
    try:
        key = _RegistryKey.model_validate(document)
    except ValidationError:
        return None
    return key.id, key.updated_at


class UnusableDocumentError(Exception):
    """A listed document is not a valid contract; the sync skips it and says so."""


def snapshot_from_document(document: dict[str, Any]) -> ContractSnapshot:
    try:
        registry = _RegistryFields.model_validate(document)
    except ValidationError as exc:
        raise UnusableDocumentError(f"missing or invalid id/updated_at: {exc}") from exc
    try:
        contract = parse_contract(document)
    except ContractValidationError as exc:
        raise UnusableDocumentError(exc.detail) from exc
    return ContractSnapshot(
        id=registry.id,
        updated_at=registry.updated_at,
        created_at=registry.created_at,
        contract=contract,
    )
