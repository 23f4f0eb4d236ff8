"""Catalog reads: the summary, dataset lists and one dataset in full."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from datapact_common.exceptions import NotFoundError
from dictionary_service.catalog import repository
from dictionary_service.catalog.schemas import (
    DatasetDetail,
    DatasetPage,
    DatasetSummary,
    DictionarySummary,
    DictionaryTotals,
    FieldEntry,
    RelationshipEntry,
    SubscriptionEntry,
    SyncStatus,
)


async def summary(session: AsyncSession, sync: SyncStatus) -> DictionarySummary:
    """The dictionary's totals; ``sync``: the sync's state (its runner reads it)."""
    totals = await repository.totals(session)
    teams = await repository.all_teams(session)
    return DictionarySummary(
        summary=DictionaryTotals(
            total_datasets=totals.datasets,
            total_fields=totals.fields,
            total_teams=len(teams),
            pii_field_count=totals.pii_fields,
        ),
        datasets_by_status=await repository.datasets_by_status(session),
        fields_by_data_type=await repository.fields_by_data_type(session),
        teams=teams,
        sync=sync,
    )


async def list_datasets(
    session: AsyncSession, filters: repository.DatasetFilters, *, skip: int, limit: int
) -> DatasetPage:
    datasets, total = await repository.list_datasets(session, filters, skip=skip, limit=limit)
    return DatasetPage(
        datasets=[DatasetSummary.model_validate(d) for d in datasets],
        total=total,
        skip=skip,
        limit=limit,
    )


async def dataset_detail(session: AsyncSession, name: str) -> DatasetDetail:
    dataset = await repository.dataset_by_name(session, name)
    if dataset is None:
        raise NotFoundError(f"dataset '{name}' is not in the dictionary")
    targets = {rel.to_dataset for rel in dataset.relationships}
    existing = await repository.existing_names(session, targets)
    incoming = await repository.incoming_relationships(session, name)
    return DatasetDetail(
        **DatasetSummary.model_validate(dataset).model_dump(),
        fields=[FieldEntry.model_validate(f) for f in dataset.fields],
        references=[
            RelationshipEntry(
                dataset=dataset.name,
                field=rel.from_field,
                references_dataset=rel.to_dataset,
                references_field=rel.to_field,
                exists=rel.to_dataset in existing,
            )
            for rel in dataset.relationships
        ],
        referenced_by=[
            RelationshipEntry(
                dataset=source,
                field=rel.from_field,
                references_dataset=rel.to_dataset,
                references_field=rel.to_field,
                exists=True,
            )
            for source, rel in incoming
        ],
        subscribers=[SubscriptionEntry.model_validate(s) for s in dataset.subscriptions],
    )
