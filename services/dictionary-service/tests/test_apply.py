"""Applying contract versions to the read model: idempotent, newest wins, replaced whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dictionary_service.catalog.models import Dataset, Field, Relationship, Subscription
from dictionary_service.sync.apply import apply_snapshots
from dictionary_service.sync.documents import UnusableDocumentError, snapshot_from_document


async def count(session, model) -> int:
    return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_reapplying_the_same_version_changes_nothing(session, registry, acme_contracts):
    snapshots = [snapshot_from_document(registry.document(c)) for c in acme_contracts]
    first = await apply_snapshots(session, snapshots)
    assert first.applied == len(acme_contracts)
    synced = dict((await session.execute(select(Dataset.name, Dataset.synced_at))).all())
    again = await apply_snapshots(session, snapshots)
    assert again.applied == 0
    assert dict((await session.execute(select(Dataset.name, Dataset.synced_at))).all()) == synced
    assert await count(session, Field) == sum(len(c["schema"]) for c in acme_contracts)
    foreign_keys = [f for c in acme_contracts for f in c["schema"] if f["foreign_key_reference"]]
    assert await count(session, Relationship) == len(foreign_keys) == 13
    assert await count(session, Subscription) == sum(len(c["subscribers"]) for c in acme_contracts)


async def test_new_version_replaces_fields_relationships_and_subscribers(
    session, registry, helpers
):
    c, f = helpers.contract, helpers.field
    v1 = c(
        "orders",
        [
            f("order_id", "uuid", nullable=False, is_primary_key=True),
            f("customer_id", "uuid", is_foreign_key=True, foreign_key_reference="customers.id"),
        ],
        subscribers=[{"team": "finance"}],
    )
    v2 = c(
        "orders",
        [f("order_id", "uuid", nullable=False, is_primary_key=True), f("total", "decimal")],
        version="2.0.0",
        subscribers=[{"team": "analytics", "fields_used": ["total"]}],
    )
    await apply_snapshots(session, [snapshot_from_document(registry.document(v1))])
    result = await apply_snapshots(session, [snapshot_from_document(registry.document(v2))])
    assert result.applied == 1
    dataset = (await session.execute(select(Dataset))).scalar_one()
    await session.refresh(dataset, ["fields", "relationships", "subscriptions"])
    assert dataset.version == "2.0.0"
    assert [x.name for x in dataset.fields] == ["order_id", "total"]
    assert dataset.relationships == []
    assert [(s.team, s.fields_used) for s in dataset.subscriptions] == [("analytics", ["total"])]


async def test_an_older_version_never_overwrites_a_newer_one(session, registry, helpers):
    c, f = helpers.contract, helpers.field
    new = registry.document(c("events", [f("event_id")], version="2.0.0"))
    old = registry.document(
        c("events", [f("legacy_id")]),
        updated_at=registry.clock - timedelta(hours=1),
    )
    await apply_snapshots(session, [snapshot_from_document(new)])
    result = await apply_snapshots(session, [snapshot_from_document(old)])
    assert result.applied == 0
    assert (await session.execute(select(Dataset.version))).scalar_one() == "2.0.0"
    # within one page, the newest of several versions wins
    await apply_snapshots(
        session,
        [snapshot_from_document(d) for d in (new, old)],
        force=True,
    )
    assert (await session.execute(select(Field.name))).scalars().all() == ["event_id"]


async def test_deprecation_keeps_the_dataset_and_marks_it(session, registry, helpers):
    c, f = helpers.contract, helpers.field
    await apply_snapshots(session, [snapshot_from_document(registry.document(c("a", [f("x")])))])
    deprecated = registry.document(c("a", [f("x")], version="1.1.0", status="deprecated"))
    await apply_snapshots(session, [snapshot_from_document(deprecated)])
    dataset = (await session.execute(select(Dataset))).scalar_one()
    assert dataset.status == "deprecated"
    assert await count(session, Field) == 1


async def test_a_name_taken_over_by_another_contract_id(session, registry, helpers):
    c, f = helpers.contract, helpers.field
    await apply_snapshots(session, [snapshot_from_document(registry.document(c("b", [f("x")])))])
    registry.ids.pop("b")  # the registry now has a different contract called "b"
    await apply_snapshots(session, [snapshot_from_document(registry.document(c("b", [f("y")])))])
    assert await count(session, Dataset) == 1
    assert (await session.execute(select(Field.name))).scalars().all() == ["y"]


async def test_text_the_read_model_must_not_store_is_removed(session, registry, helpers):
    c, f = helpers.contract, helpers.field
    doc = c("c", [f("x", description="nul\x00 and \ue000marker\ue001")], description="d\x00")
    await apply_snapshots(session, [snapshot_from_document(registry.document(doc))])
    assert (await session.execute(select(Field.description))).scalar_one() == "nul and marker"


@pytest.mark.parametrize(
    "document",
    [
        {"name": "x"},  # no id / updated_at
        {"id": "not-a-uuid", "updated_at": "2026-01-01T00:00:00Z", "name": "x"},
        {"id": "8d7a3f0e-4a8e-4c1e-9d6f-1c2b3a4d5e6f", "updated_at": "2026-01-01T00:00:00"},
        {
            "id": "8d7a3f0e-4a8e-4c1e-9d6f-1c2b3a4d5e6f",
            "updated_at": "2026-01-01T00:00:00Z",
            "name": "no_schema",
            "version": "1.0.0",
            "publisher": {"team": "t", "owner": "o"},
        },
    ],
)
def test_unusable_documents_are_refused_with_a_reason(document) -> None:
    with pytest.raises(UnusableDocumentError) as error:
        snapshot_from_document(document)
    assert str(error.value)
