"""The parts of a contract document the notification service reads.

Parsed leniently (unknown keys ignored): the contract-service's response adds read-only
keys, and a notification must not fail because the document grew a field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class ContractPublisher(_Lenient):
    team: str
    owner: str | None = None
    contact_email: str | None = None


class ContractSubscriber(_Lenient):
    team: str
    use_case: str | None = None
    fields_used: list[str] = Field(default_factory=list)
    contact_email: str | None = None

    def uses_any(self, fields: list[str]) -> bool:
        """Empty ``fields_used`` = uses everything; empty ``fields`` = concerns everyone."""
        if not self.fields_used or not fields:
            return True
        return bool(set(self.fields_used) & set(fields))


class ContractFieldView(_Lenient):
    name: str
    data_type: str | None = None
    description: str | None = None


class ContractView(_Lenient):
    id: str | None = None
    name: str
    version: str | None = None
    description: str | None = None
    status: str | None = None
    publisher: ContractPublisher
    schema_fields: list[ContractFieldView] = Field(default_factory=list, alias="schema")
    subscribers: list[ContractSubscriber] = Field(default_factory=list)

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> ContractView:
        return cls.model_validate(document)

    def field(self, name: str) -> ContractFieldView | None:
        return next((f for f in self.schema_fields if f.name == name), None)
