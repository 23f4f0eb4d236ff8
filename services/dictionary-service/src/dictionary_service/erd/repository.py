"""Queries that gather a part of the dataset graph."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dictionary_service.catalog.models import Dataset, Field, Relationship, Subscription


@dataclass(frozen=True)
class FieldRow:
    name: str
    data_type: str
    description: str | None
    nullable: bool
    is_pii: bool
    is_primary_key: bool
    is_foreign_key: bool
    is_unique: bool
    foreign_key_reference: str | None


@dataclass(frozen=True)
class RelationshipRow:
    from_dataset: str
    from_field: str
    to_dataset: str
    to_field: str
    nullable: bool
    is_unique: bool


@dataclass(frozen=True)
class SubscriptionRow:
    team: str
    dataset: str
    use_case: str | None
    fields_used: list[str]


@dataclass
class DatasetRow:
    id: uuid.UUID
    name: str
    status: str
    version: str
    publisher_team: str
    description: str | None
    fields: list[FieldRow] = field(default_factory=list)


async def dataset_exists(session: AsyncSession, name: str) -> bool:
    found = await session.execute(select(Dataset.id).where(Dataset.name == name))
    return found.first() is not None


async def names_for_team(session: AsyncSession, team: str) -> set[str]:
    """Datasets the team publishes or subscribes to."""
    rows = await session.execute(
        select(Dataset.name).where(
            or_(
                Dataset.publisher_team == team,
                Dataset.id.in_(select(Subscription.dataset_id).where(Subscription.team == team)),
            )
        )
    )
    return set(rows.scalars())


async def neighbours(session: AsyncSession, names: set[str]) -> set[str]:
    """Datasets one foreign key away from ``names``, either direction (existing or not)."""
    outgoing = await session.execute(
        select(Relationship.to_dataset)
        .join(Dataset, Dataset.id == Relationship.dataset_id)
        .where(Dataset.name.in_(names))
    )
    incoming = await session.execute(
        select(Dataset.name)
        .join(Relationship, Relationship.dataset_id == Dataset.id)
        .where(Relationship.to_dataset.in_(names))
    )
    return set(outgoing.scalars()) | set(incoming.scalars())


async def dataset_sizes(session: AsyncSession, names: set[str] | None) -> list[tuple[str, int]]:
    """(name, field count) of the datasets (all when ``names`` is None), ordered by name."""
    query = select(Dataset.name, Dataset.field_count).order_by(Dataset.name)
    if names is not None:
        query = query.where(Dataset.name.in_(names))
    return [(name, int(count)) for name, count in (await session.execute(query)).all()]


async def load_datasets(session: AsyncSession, names: set[str] | None) -> list[DatasetRow]:
    """Datasets (all when ``names`` is None) with their fields, ordered by name."""
    query = select(
        Dataset.id,
        Dataset.name,
        Dataset.status,
        Dataset.version,
        Dataset.publisher_team,
        Dataset.description,
    ).order_by(Dataset.name)
    if names is not None:
        query = query.where(Dataset.name.in_(names))
    datasets = [DatasetRow(*row) for row in (await session.execute(query)).all()]
    by_id = {d.id: d for d in datasets}
    if not by_id:
        return []
    field_query = select(
        Field.dataset_id,
        Field.name,
        Field.data_type,
        Field.description,
        Field.nullable,
        Field.is_pii,
        Field.is_primary_key,
        Field.is_foreign_key,
        Field.is_unique,
        Field.foreign_key_reference,
    ).order_by(Field.dataset_id, Field.position)
    if names is not None:
        field_query = field_query.where(Field.dataset_id.in_(list(by_id)))
    for dataset_id, *values in (await session.execute(field_query)).all():
        by_id[dataset_id].fields.append(FieldRow(*values))
    return datasets


async def load_relationships(
    session: AsyncSession, from_names: set[str] | None
) -> list[RelationshipRow]:
    query = (
        select(
            Dataset.name,
            Relationship.from_field,
            Relationship.to_dataset,
            Relationship.to_field,
            Relationship.nullable,
            Relationship.is_unique,
        )
        .join(Dataset, Dataset.id == Relationship.dataset_id)
        .order_by(Dataset.name, Relationship.from_field)
    )
    if from_names is not None:
        query = query.where(Dataset.name.in_(from_names))
    return [RelationshipRow(*row) for row in (await session.execute(query)).all()]


async def load_subscriptions(
    session: AsyncSession, names: set[str] | None
) -> list[SubscriptionRow]:
    query = (
        select(Subscription.team, Dataset.name, Subscription.use_case, Subscription.fields_used)
        .join(Dataset, Dataset.id == Subscription.dataset_id)
        .order_by(Subscription.team, Dataset.name)
    )
    if names is not None:
        query = query.where(Dataset.name.in_(names))
    return [SubscriptionRow(*row) for row in (await session.execute(query)).all()]


async def existing_names(session: AsyncSession, names: set[str]) -> set[str]:
    if not names:
        return set()
    rows = await session.execute(select(Dataset.name).where(Dataset.name.in_(names)))
    return set(rows.scalars())


def group_by_dataset(rows: list[SubscriptionRow]) -> dict[str, list[SubscriptionRow]]:
    grouped: dict[str, list[SubscriptionRow]] = defaultdict(list)
    for row in rows:
        grouped[row.dataset].append(row)
    return grouped
