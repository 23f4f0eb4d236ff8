"""Writing contract versions into the read model: idempotent, newest version wins.

A dataset whose stored version is as new as (or newer than) the incoming one is left
alone, so re-reading a page is harmless. A changed dataset is deleted and inserted again
(its fields, relationships and subscriptions go with it through ON DELETE CASCADE), inside
the caller's transaction: readers see the old version until the commit, then the new one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Table, any_, bindparam, delete, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Uuid

from datapact_common.timeutil import utcnow
from dictionary_service.catalog.models import Dataset, Field, Relationship, Subscription
from dictionary_service.search.models import SearchEntry, SearchFacet, SearchTagSet, SearchWord
from dictionary_service.sync.documents import ContractSnapshot
from dictionary_service.words import identifier_words, keywords

# Characters the read model never stores: NUL (PostgreSQL text refuses it) and the two
# private-use characters the search uses to mark highlights.
_STRIP = str.maketrans("", "", "\x00\ue000\ue001")


def clean(value: str | None) -> str | None:
    return value.translate(_STRIP) if value is not None else None


@dataclass(frozen=True)
class ApplyResult:
    received: int
    applied: int


def latest_per_contract(snapshots: Iterable[ContractSnapshot]) -> list[ContractSnapshot]:
    """One snapshot per contract id and per name: the most recently updated."""
    by_id: dict[uuid.UUID, ContractSnapshot] = {}
    for snap in snapshots:
        current = by_id.get(snap.id)
        if current is None or snap.updated_at > current.updated_at:
            by_id[snap.id] = snap
    by_name: dict[str, ContractSnapshot] = {}
    for snap in by_id.values():
        current = by_name.get(snap.name)
        if current is None or snap.updated_at > current.updated_at:
            by_name[snap.name] = snap
    return list(by_name.values())


async def stored_versions(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """The registry ``updated_at`` each of these datasets was last written from."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Dataset.id, Dataset.source_updated_at).where(Dataset.id.in_(ids))
    )
    return dict(rows.all())


async def apply_snapshots(
    session: AsyncSession, snapshots: Iterable[ContractSnapshot], *, force: bool = False
) -> ApplyResult:
    """Bring the read model up to date with ``snapshots``; only flushes."""
    snapshots = list(snapshots)
    latest = latest_per_contract(snapshots)
    if not latest:
        return ApplyResult(received=len(snapshots), applied=0)
    stored = await stored_versions(session, [s.id for s in latest])
    changed = [s for s in latest if force or s.id not in stored or stored[s.id] < s.updated_at]
    if not changed:
        return ApplyResult(received=len(snapshots), applied=0)

    # A name now held by another contract id (a re-created contract): the registry wins.
    await session.execute(
        delete(Dataset).where(
            or_(
                Dataset.id.in_([s.id for s in changed]),
                Dataset.name.in_([s.name for s in changed]),
            )
        )
    )
    now = utcnow()
    await _insert(session, Dataset, [_dataset_row(s, now) for s in changed])
    await _insert(session, Field, [row for s in changed for row in _field_rows(s)])
    await _insert(session, Relationship, [row for s in changed for row in _relationship_rows(s)])
    await _insert(session, Subscription, [row for s in changed for row in _subscription_rows(s)])
    # Written in name order: entries that share words sit in the same heap pages, so a
    # query matching thousands of them reads far fewer pages.
    search_rows = sorted(
        (row for s in changed for row in _search_rows(s)), key=lambda row: row["name_words"]
    )
    await _add_facet_keys(session, search_rows)
    await _insert(session, SearchEntry, search_rows)
    await _add_words(session, search_rows)
    await session.flush()
    return ApplyResult(received=len(snapshots), applied=len(changed))


async def _insert(session: AsyncSession, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Bulk insert with PostgreSQL COPY on the session's own connection (same transaction).

    An initial sync writes hundreds of thousands of rows; COPY is several times faster
    than multi-row INSERTs built in Python.
    """
    if not rows:
        return
    table: Table = model.__table__
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSONB)}
    records = [
        tuple(
            json.dumps(row[c]) if c in json_columns and row[c] is not None else row[c]
            for c in columns
        )
        for row in rows
    ]
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    await driver.copy_records_to_table(table.name, records=records, columns=columns)


FacetValues = tuple[str, str | None, bool | None, str, str]
FACET_COLUMNS = ("kind", "data_type", "is_pii", "team", "status")


def _facet_values(row: dict[str, Any]) -> FacetValues:
    return (row["kind"], row["data_type"], row["is_pii"], row["team"], row["status"])


async def _add_facet_keys(session: AsyncSession, search_rows: list[dict[str, Any]]) -> None:
    """Set ``facet_id`` and ``tag_set_id`` on each row, adding the key rows that are new."""
    if not search_rows:
        return
    values = sorted({_facet_values(row) for row in search_rows}, key=repr)
    await session.execute(
        pg_insert(SearchFacet).on_conflict_do_nothing(),
        [dict(zip(FACET_COLUMNS, v, strict=True)) for v in values],
    )
    teams = sorted({v[3] for v in values})
    rows = await session.execute(
        select(SearchFacet.id, *(getattr(SearchFacet, c) for c in FACET_COLUMNS)).where(
            SearchFacet.team.in_(teams)
        )
    )
    facet_ids: dict[tuple[object, ...], int] = {tuple(r[1:]): r[0] for r in rows.all()}

    tag_sets = sorted({tuple(row["tags"]) for row in search_rows})
    await session.execute(
        pg_insert(SearchTagSet).on_conflict_do_nothing(), [{"tags": list(t)} for t in tag_sets]
    )
    rows = await session.execute(
        select(SearchTagSet.id, SearchTagSet.tags).where(
            SearchTagSet.tags.in_([list(t) for t in tag_sets])
        )
    )
    tag_set_ids: dict[tuple[str, ...], int] = {tuple(r.tags): r.id for r in rows.all()}
    for row in search_rows:
        row["facet_id"] = facet_ids[_facet_values(row)]
        row["tag_set_id"] = tag_set_ids[tuple(row["tags"])]


async def _add_words(session: AsyncSession, search_rows: list[dict[str, Any]]) -> None:
    """Grow the lexicon the typo correction draws from (words of two letters or more)."""
    words = sorted(
        {
            word
            for row in search_rows
            for word in row["name_words"].split()
            if len(word) > 1 and not word.isdigit()
        }
    )
    if words:
        await session.execute(
            pg_insert(SearchWord).on_conflict_do_nothing(), [{"word": w} for w in words]
        )


async def prune_words(session: AsyncSession) -> int:
    """Drop lexicon words and facet keys no entry uses any more (full passes only: it reads
    every entry)."""
    used = select(func.unnest(func.string_to_array(SearchEntry.name_words, " "))).scalar_subquery()
    result = await session.execute(
        delete(SearchWord).where(SearchWord.word.not_in(used)).returning(SearchWord.word)
    )
    await session.execute(
        delete(SearchFacet).where(
            ~select(SearchEntry.id).where(SearchEntry.facet_id == SearchFacet.id).exists()
        )
    )
    await session.execute(
        delete(SearchTagSet).where(
            ~select(SearchEntry.id).where(SearchEntry.tag_set_id == SearchTagSet.id).exists()
        )
    )
    return len(result.all())


def _dataset_row(snap: ContractSnapshot, now: datetime) -> dict[str, Any]:
    contract = snap.contract
    return {
        "id": snap.id,
        "name": contract.name,
        "description": clean(contract.description),
        "version": contract.version,
        "status": contract.status.value,
        "publisher_team": contract.publisher.team,
        "publisher_owner": contract.publisher.owner,
        "table_name": contract.effective_table,
        "tags": list(contract.tags),
        "field_count": len(contract.schema_fields),
        "pii_field_count": sum(1 for f in contract.schema_fields if f.is_pii),
        "subscriber_count": len(contract.subscribers),
        "source_created_at": snap.created_at,
        "source_updated_at": snap.updated_at,
        "synced_at": now,
    }


def _field_rows(snap: ContractSnapshot) -> list[dict[str, Any]]:
    contract = snap.contract
    return [
        {
            "dataset_id": snap.id,
            "position": position,
            "name": field.name,
            "data_type": field.data_type.value,
            "description": clean(field.description),
            "nullable": field.nullable,
            "is_pii": field.is_pii,
            "is_primary_key": field.is_primary_key,
            "is_foreign_key": field.is_foreign_key,
            "is_unique": field.is_unique,
            "foreign_key_reference": field.foreign_key_reference,
            "example_value": to_jsonable_python(field.example_value),
            "constraints": [c.model_dump(mode="json") for c in field.constraints],
        }
        for position, field in enumerate(contract.schema_fields)
    ]


def _search_rows(snap: ContractSnapshot) -> list[dict[str, Any]]:
    contract = snap.contract
    shared = {
        "dataset_id": snap.id,
        "dataset_name": contract.name,
        "team": contract.publisher.team,
        "tags": list(contract.tags),
        "status": contract.status.value,
        "version": contract.version,
    }
    rows = [
        {
            **shared,
            "kind": "dataset",
            "field_name": None,
            "position": -1,
            "name_words": identifier_words(contract.name),
            "description": clean(contract.description),
            "keywords": keywords(contract.tags, contract.publisher.team),
            "data_type": None,
            "is_pii": None,
            "is_primary_key": None,
            "is_foreign_key": None,
            "foreign_key_reference": None,
        }
    ]
    # Tags and team describe the dataset: its entry carries them (weight C). Its fields do
    # not, or a word like a team name would match every field of every dataset the team
    # owns; the team and tag filters and facets cover fields.
    rows += [
        {
            **shared,
            "kind": "field",
            "field_name": field.name,
            "position": position,
            "name_words": identifier_words(field.name),
            "description": clean(field.description),
            "keywords": "",
            "data_type": field.data_type.value,
            "is_pii": field.is_pii,
            "is_primary_key": field.is_primary_key,
            "is_foreign_key": field.is_foreign_key,
            "foreign_key_reference": field.foreign_key_reference,
        }
        for position, field in enumerate(contract.schema_fields)
    ]
    return rows


def _relationship_rows(snap: ContractSnapshot) -> list[dict[str, Any]]:
    rows = []
    for field in snap.contract.schema_fields:
        if not field.foreign_key_reference:
            continue
        to_dataset, _, to_field = field.foreign_key_reference.partition(".")
        rows.append(
            {
                "dataset_id": snap.id,
                "from_field": field.name,
                "to_dataset": to_dataset,
                "to_field": to_field,
                "nullable": field.nullable,
                "is_unique": field.is_unique,
            }
        )
    return rows


def _subscription_rows(snap: ContractSnapshot) -> list[dict[str, Any]]:
    return [
        {
            "dataset_id": snap.id,
            "team": sub.team,
            "use_case": clean(sub.use_case),
            "fields_used": list(sub.fields_used),
            "contact_email": sub.contact_email,
        }
        for sub in snap.contract.subscribers
    ]


async def delete_datasets_not_in(session: AsyncSession, keep: set[uuid.UUID]) -> int:
    """Remove datasets whose contracts the registry no longer lists (full rebuild only)."""
    keep_ids = bindparam("keep", list(keep), type_=ARRAY(Uuid()))
    result = await session.execute(
        delete(Dataset).where(~(Dataset.id == any_(keep_ids))).returning(Dataset.id)
    )
    return len(result.all())
