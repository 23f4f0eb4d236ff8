"""Every query on preferences."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from notification_service.preferences.models import Preference


async def get(session: AsyncSession, email: str) -> Preference | None:
    return await session.get(Preference, email)


async def upsert(
    session: AsyncSession,
    *,
    email: str,
    muted_types: list[str],
    min_severity: str,
    digest: bool,
    updated_by: str,
) -> Preference:
    values = {
        "muted_types": muted_types,
        "min_severity": min_severity,
        "digest": digest,
        "updated_by": updated_by,
    }
    statement = (
        insert(Preference)
        .values(email=email, **values)
        .on_conflict_do_update(index_elements=["email"], set_={**values, "updated_at": func.now()})
        .returning(Preference)
    )
    result = await session.scalars(statement, execution_options={"populate_existing": True})
    return result.one()


def for_recipients(session: Session, emails: list[str]) -> dict[str, Preference]:
    if not emails:
        return {}
    rows: Sequence[Preference] = session.scalars(
        select(Preference).where(Preference.email.in_(emails))
    ).all()
    return {p.email: p for p in rows}


def digest_enabled(session: Session, email: str) -> bool:
    enabled = session.scalar(select(Preference.digest).where(Preference.email == email))
    return enabled is None or bool(enabled)
