"""Version history bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from contract_service.versions.models import ContractVersion


class VersionEntry(BaseModel):
    version: str
    changed_by: str | None
    change_summary: str | None
    created_at: datetime
    changes: list[dict[str, Any]]

    @classmethod
    def of(cls, row: ContractVersion) -> VersionEntry:
        return cls(
            version=row.version,
            changed_by=row.changed_by,
            change_summary=row.change_summary,
            created_at=row.created_at,
            changes=row.changes,
        )


class VersionList(BaseModel):
    contract_id: str
    name: str
    current_version: str
    versions: list[VersionEntry]
