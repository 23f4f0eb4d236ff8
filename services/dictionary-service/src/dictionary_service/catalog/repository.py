"""Queries on the catalog tables."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from dictionary_service.catalog.models import Dataset, Field, Relationship, Subscription


@dataclass(frozen=True)
class Totals:
    datasets: int
    fields: int
    pii_fields: int


@dataclass(frozen=True)
class DatasetFilters:
    team: str | None = None
    subscriber: str | None = None
    tag: str | None = None
    status: str | None = None


async def totals(session: AsyncSession) -> Totals:
    row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(Dataset.field_count), 0),
                func.coalesce(func.sum(Dataset.pii_field_count), 0),
            )
        )
    ).one()
    return Totals(datasets=int(row[0]), fields=int(row[1]), pii_fields=int(row[2]))


async def datasets_by_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(Dataset.status, func.count()).group_by(Dataset.status).order_by(Dataset.status)
    )
    return dict(rows.all())


async def fields_by_data_type(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(Field.data_type, func.count()).group_by(Field.data_type).order_by(Field.data_type)
    )
    return dict(rows.all())


async def all_teams(session: AsyncSession) -> list[str]:
    """Publishing and subscribing teams."""
    teams = union(select(Dataset.publisher_team), select(Subscription.team)).subquery()
    rows = await session.execute(select(teams.c[0]).order_by(teams.c[0]))
    return list(rows.scalars())


def _filtered(query: Select[Dataset], filters: DatasetFilters) -> Select[Dataset]:
    if filters.team:
        query = query.where(Dataset.publisher_team == filters.team)
    if filters.tag:
        query = query.where(Dataset.tags.contains([filters.tag]))
    if filters.status:
        query = query.where(Dataset.status == filters.status)
    if filters.subscriber:
        query = query.where(
            Dataset.id.in_(
                select(Subscription.dataset_id).where(Subscription.team == filters.subscriber)
            )
        )
    return query


async def list_datasets(
    session: AsyncSession, filters: DatasetFilters, *, skip: int, limit: int
) -> tuple[list[Dataset], int]:
    base: Select[Dataset] = _filtered(select(Dataset), filters)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    rows = await session.execute(base.order_by(Dataset.name).offset(skip).limit(limit))
    return list(rows.scalars()), int(total)


async def dataset_by_name(session: AsyncSession, name: str) -> Dataset | None:
    query = (
        select(Dataset)
        .where(Dataset.name == name)
        .options(
            selectinload(Dataset.fields),
            selectinload(Dataset.relationships),
            selectinload(Dataset.subscriptions),
        )
    )
    return (await session.execute(query)).scalar_one_or_none()


async def incoming_relationships(
    session: AsyncSession, name: str
) -> list[tuple[str, Relationship]]:
    """Foreign keys of other datasets that point at ``name``: (source dataset, relationship)."""
    rows = await session.execute(
        select(Dataset.name, Relationship)
        .join(Relationship, Relationship.dataset_id == Dataset.id)
        .where(Relationship.to_dataset == name)
        .order_by(Dataset.name, Relationship.from_field)
    )
    return [(source, rel) for source, rel in rows.all()]


async def existing_names(session: AsyncSession, names: set[str]) -> set[str]:
    if not names:
        return set()
    rows = await session.execute(select(Dataset.name).where(Dataset.name.in_(names)))
    return set(rows.scalars())
