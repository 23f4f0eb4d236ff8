"""Bodies of the ODCS import route."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from datapact_common.diff import Change


class ImportedObject(BaseModel):
    """What the import did (or, on a dry run, would do) with one schema object."""

    object: str = Field(description="the schema object's name in the document")
    contract: str = Field(description="the contract it is in the registry")
    contract_id: uuid.UUID | None = Field(description="null for a contract a dry run would create")
    action: Literal["created", "updated", "unchanged", "deprecated"]
    old_version: str | None = None
    new_version: str
    changes: list[Change] = Field(default_factory=list)
    required_bump: str | None = None
    actual_bump: str | None = None


class OdcsImportResult(BaseModel):
    document_id: str = Field(description="the ODCS document's id")
    dry_run: bool
    contracts: list[ImportedObject]
    notes: list[str] = Field(description="what was ignored, guessed or decided (names kept)")
