"""Version history queries."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.versions.models import ContractVersion


async def list_for_contract(session: AsyncSession, contract_id: uuid.UUID) -> list[ContractVersion]:
    rows = await session.scalars(
        select(ContractVersion)
        .where(ContractVersion.contract_id == contract_id)
        .order_by(ContractVersion.created_at, ContractVersion.id)
    )
    return list(rows)


async def get(
    session: AsyncSession, contract_id: uuid.UUID, version: str
) -> ContractVersion | None:
    return await session.scalar(
        select(ContractVersion).where(
            ContractVersion.contract_id == contract_id, ContractVersion.version == version
        )
    )


async def previous(session: AsyncSession, version: ContractVersion) -> ContractVersion | None:
    """The version published just before ``version``."""
    return await session.scalar(
        select(ContractVersion)
        .where(
            ContractVersion.contract_id == version.contract_id,
            ContractVersion.created_at < version.created_at,
        )
        .order_by(ContractVersion.created_at.desc())
        .limit(1)
    )
