"""Reading the version history and diffing two published versions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.versions import repository as repo
from contract_service.versions.models import ContractVersion
from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeReport, diff_contracts
from datapact_common.exceptions import NotFoundError
from datapact_common.offload import off_loop


async def get_version(
    session: AsyncSession, contract_id: uuid.UUID, name: str, version: str
) -> ContractVersion:
    row = await repo.get(session, contract_id, version)
    if row is None:
        raise NotFoundError(f"contract '{name}' has no version {version}")
    return row


async def diff_versions(
    session: AsyncSession,
    contract_id: uuid.UUID,
    name: str,
    current_version: str,
    from_version: str | None,
    to_version: str | None,
) -> ChangeReport:
    """Changes between two published versions; ``to`` defaults to the current version and
    ``from`` to the version published before ``to``."""
    target = await get_version(session, contract_id, name, to_version or current_version)
    if from_version is None:
        source = await repo.previous(session, target)
        if source is None:
            raise NotFoundError(
                f"version {target.version} of '{name}' is the first one; pass from=<version>"
            )
    else:
        source = await get_version(session, contract_id, name, from_version)
    return await off_loop(_diff_snapshots, source.contract_snapshot, target.contract_snapshot)


def _diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> ChangeReport:
    return diff_contracts(
        ContractDefinition.model_validate(old), ContractDefinition.model_validate(new)
    )
