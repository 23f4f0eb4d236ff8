"""Contract queries, in one place."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Row, bindparam, delete, func, insert, select, tuple_
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from contract_service.contracts.models import (
    AccessConfigRecord,
    Contract,
    ContractFieldRecord,
    QualityMetricRecord,
)
from contract_service.contracts.sorting import ContractSort, SortOrder, order_by
from contract_service.database import execute, fetch_row
from datapact_common.contract_schema import ContractDefinition
from datapact_common.exceptions import ContractValidationError
from datapact_common.thresholds import Duration, RowRange, Threshold
from datapact_common.timeutil import ensure_aware

# What a response needs; the document is served as stored. Core columns and statements
# built once: the hot read paths skip ORM loading and per-request statement building.
_table = Contract.__table__
VIEW_COLUMNS = (
    _table.c.id,
    _table.c.created_at,
    _table.c.updated_at,
    _table.c.compliance,
    _table.c.document_json,
    _table.c.version,
    _table.c.publisher_team,
)
ViewRow = Row[uuid.UUID, datetime, datetime, dict[str, Any], str, str, str]


def _fetch_row_sql(key: ColumnElement[Any]) -> str:
    """``SELECT <VIEW_COLUMNS> ... WHERE <key> = $1``, compiled once for `database.fetch_row`
    (asyncpg's ``$1`` parameters, no SQLAlchemy on the way): one list of columns."""
    statement = select(*VIEW_COLUMNS).where(key == bindparam("key"))
    return str(statement.compile(dialect=asyncpg_dialect()))  # type: ignore[no-untyped-call]


_VIEW_BY_ID_SQL = _fetch_row_sql(_table.c.id)
_VIEW_BY_NAME_SQL = _fetch_row_sql(_table.c.name)


class View(NamedTuple):
    """A :data:`ViewRow` read by :func:`view_by_name`/:func:`view_by_id`: the
    :data:`VIEW_COLUMNS`, in their order."""

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    compliance: dict[str, Any] | None
    document_json: str
    version: str
    publisher_team: str


assert View._fields == tuple(column.name for column in VIEW_COLUMNS)


async def _view(statement: str, value: object) -> View | None:
    # asyncpg's record, in column order: the id a uuid.UUID, `compliance` decoded (the
    # engine's JSONB codec is on every connection of its pool).
    record = await fetch_row(statement, value)
    return None if record is None else View(*record)


@dataclass(frozen=True)
class ListFilters:
    status: str | None = None
    team: str | None = None
    tag: str | None = None
    q: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.status:
            clauses.append(Contract.status == self.status)
        if self.team:
            clauses.append(Contract.publisher_team == self.team)
        if self.tag:
            clauses.append(Contract.tags.contains([self.tag]))
        if self.q:
            pattern = "%" + _escape_like(self.q.strip().lower()) + "%"
            clauses.append(Contract.search_text.like(pattern, escape="\\"))
        return clauses


@dataclass(frozen=True)
class Cursor:
    """Position after the last item of a page, ordered by (updated_at, id)."""

    updated_at: datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = orjson.dumps({"t": self.updated_at.isoformat(), "i": str(self.id)})
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = orjson.loads(raw)
            return cls(ensure_aware(datetime.fromisoformat(data["t"])), uuid.UUID(data["i"]))
        except (binascii.Error, ValueError, TypeError, KeyError, orjson.JSONDecodeError) as exc:
            raise ContractValidationError(
                "invalid cursor: pass back the next_cursor value of the previous page",
                [
                    {
                        "loc": "query.cursor",
                        "message": "not a cursor from this API",
                        "type": "cursor",
                    }
                ],
            ) from exc


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_ID_BY_NAME_SQL = str(
    select(_table.c.id).where(_table.c.name == bindparam("name")).compile(dialect=asyncpg_dialect())  # type: ignore[no-untyped-call]
)
_NAME_BY_ODCS_SQL = str(
    select(_table.c.name)
    .where(_table.c.odcs_id == bindparam("odcs_id"), _table.c.odcs_object == bindparam("odcs"))
    .compile(dialect=asyncpg_dialect())  # type: ignore[no-untyped-call]
)


async def id_by_name_now(name: str) -> uuid.UUID | None:
    """:func:`id_by_name` outside any session (`database.fetch_row`)."""
    record = await fetch_row(_ID_BY_NAME_SQL, name)
    return None if record is None else record[0]


async def name_by_odcs_identity_now(odcs_id: str, odcs_object: str) -> str | None:
    """:func:`name_by_odcs_identity` outside any session (`database.fetch_row`)."""
    record = await fetch_row(_NAME_BY_ODCS_SQL, odcs_id, odcs_object)
    return None if record is None else record[0]


async def get(session: AsyncSession, contract_id: uuid.UUID) -> Contract | None:
    return await session.get(Contract, contract_id)


async def version_of(session: AsyncSession, contract_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Contract.version).where(Contract.id == contract_id))


async def id_by_name(session: AsyncSession, name: str) -> uuid.UUID | None:
    return await session.scalar(select(Contract.id).where(Contract.name == name))


async def get_by_name(session: AsyncSession, name: str) -> Contract | None:
    return await session.scalar(select(Contract).where(Contract.name == name))


async def for_odcs_document(session: AsyncSession, odcs_id: str) -> list[Contract]:
    """The contracts imported from the ODCS document ``odcs_id``, locked for the import."""
    rows = await session.scalars(
        select(Contract)
        .where(Contract.odcs_id == odcs_id)
        .order_by(Contract.name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def name_by_odcs_identity(
    session: AsyncSession, odcs_id: str, odcs_object: str
) -> str | None:
    return await session.scalar(
        select(Contract.name).where(
            Contract.odcs_id == odcs_id, Contract.odcs_object == odcs_object
        )
    )


async def lock(session: AsyncSession, contract_id: uuid.UUID) -> Contract | None:
    """Load the contract with a row lock (SELECT ... FOR UPDATE), fresh from the database."""
    return await session.scalar(
        select(Contract)
        .where(Contract.id == contract_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def view_by_id(contract_id: uuid.UUID) -> View | None:
    """The hot read by id: one pooled asyncpg query (`database.fetch_row`), no session."""
    return await _view(_VIEW_BY_ID_SQL, contract_id)


async def view_by_name(name: str) -> View | None:
    """The hot read by name: one pooled asyncpg query (`database.fetch_row`), no session."""
    return await _view(_VIEW_BY_NAME_SQL, name)


async def list_views(
    session: AsyncSession,
    filters: ListFilters,
    skip: int,
    limit: int,
    sort: ContractSort = ContractSort.NAME,
    order: SortOrder = SortOrder.ASC,
) -> tuple[Sequence[ViewRow], int]:
    clauses = filters.clauses()
    total = await session.scalar(select(func.count()).select_from(Contract).where(*clauses))
    result = await session.execute(
        select(*VIEW_COLUMNS)
        .where(*clauses)
        .order_by(*order_by(sort, order))
        .offset(skip)
        .limit(limit)
    )
    return result.all(), int(total or 0)


async def list_views_since(
    session: AsyncSession,
    filters: ListFilters,
    updated_since: datetime | None,
    cursor: Cursor | None,
    limit: int,
) -> tuple[Sequence[ViewRow], int, Cursor | None]:
    """Keyset page ordered by (updated_at, id); returns rows, total since, next cursor."""
    clauses = filters.clauses()
    if updated_since is not None:
        clauses.append(Contract.updated_at >= ensure_aware(updated_since))
    total = await session.scalar(select(func.count()).select_from(Contract).where(*clauses))
    page_clauses = list(clauses)
    if cursor is not None:
        page_clauses.append(
            tuple_(Contract.updated_at, Contract.id) > tuple_(cursor.updated_at, cursor.id)
        )
    result = await session.execute(
        select(*VIEW_COLUMNS)
        .where(*page_clauses)
        .order_by(Contract.updated_at, Contract.id)
        .limit(limit + 1)
    )
    rows = result.all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = Cursor(rows[-1].updated_at, rows[-1].id)
    return rows, int(total or 0), next_cursor


async def existing_names(session: AsyncSession, names: set[str]) -> dict[str, list[str]]:
    """Field names of each named contract that exists."""
    if not names:
        return {}
    result = await session.execute(
        select(Contract.name, Contract.document).where(Contract.name.in_(names))
    )
    known: dict[str, list[str]] = {}
    for row in result.all():
        document: dict[str, Any] = row[1]
        known[str(row[0])] = [str(f.get("name")) for f in document.get("schema") or []]
    return known


def columns_from(definition: ContractDefinition) -> dict[str, Any]:
    """The denormalized columns of a contract row, from its document."""
    publisher = definition.publisher
    haystack = [definition.name, definition.description or "", *definition.field_names]
    haystack += definition.tags
    return {
        "name": definition.name,
        "version": definition.version,
        "description": definition.description,
        "status": str(definition.status),
        "table_name": definition.table,
        "publisher_team": publisher.team,
        "publisher_owner": publisher.owner,
        "repository_url": publisher.repository_url,
        "contact_email": publisher.contact_email,
        "odcs_id": definition.odcs.id if definition.odcs else None,
        "odcs_object": definition.odcs.object if definition.odcs else None,
        "tags": list(definition.tags),
        "metadata_": definition.metadata,
        "search_text": " ".join(part for part in haystack if part).lower(),
    }


def field_rows(
    contract_id: uuid.UUID, definition: ContractDefinition, now: datetime
) -> list[dict[str, Any]]:
    """The rows of the normalized fields (built off the event loop for large documents)."""
    return [
        {
            "id": uuid.uuid4(),
            "contract_id": contract_id,
            "position": position,
            "name": f.name,
            "data_type": str(f.data_type),
            "description": f.description,
            "nullable": f.nullable,
            "is_pii": f.is_pii,
            "is_primary_key": f.is_primary_key,
            "is_foreign_key": f.is_foreign_key,
            "foreign_key_reference": f.foreign_key_reference,
            "unique": f.unique,
            "example_value": f.example_value,
            "constraints": [c.model_dump(mode="json") for c in f.constraints],
            "created_at": now,
        }
        for position, f in enumerate(definition.schema_fields)
    ]


async def replace_parts(
    session: AsyncSession,
    contract_id: uuid.UUID,
    definition: ContractDefinition,
    now: datetime,
    *,
    fields: list[dict[str, Any]] | None = None,
    new: bool = False,
) -> None:
    """Rewrite the normalized fields (``fields``: the rows from :func:`field_rows`, built
    here when not given), quality metrics and access config of a contract (``new``: the
    contract was just inserted, there is nothing to delete)."""
    if not new:
        for model in (ContractFieldRecord, QualityMetricRecord, AccessConfigRecord):
            await session.execute(delete(model).where(model.contract_id == contract_id))
    await session.execute(
        insert(ContractFieldRecord),
        fields if fields is not None else field_rows(contract_id, definition, now),
    )
    if definition.quality:
        metrics = []
        for q in definition.quality:
            parsed = q.parsed_threshold()
            value, unit = _threshold_number(parsed)
            metrics.append(
                {
                    "id": uuid.uuid4(),
                    "contract_id": contract_id,
                    "metric_type": str(q.metric_type),
                    "threshold": q.threshold,
                    "threshold_value": value,
                    "threshold_unit": unit,
                    "measurement_method": q.measurement_method,
                    "alert_on_breach": q.alert_on_breach,
                    "created_at": now,
                }
            )
        await session.execute(insert(QualityMetricRecord), metrics)
    if definition.access is not None:
        access = definition.access
        await session.execute(
            insert(AccessConfigRecord),
            [
                {
                    "id": uuid.uuid4(),
                    "contract_id": contract_id,
                    "endpoint_url": access.endpoint_url,
                    "methods": list(access.methods),
                    "auth_type": str(access.auth_type),
                    "required_scopes": list(access.required_scopes),
                    "rate_limit": access.rate_limit,
                    "created_at": now,
                }
            ],
        )


def _threshold_number(parsed: Threshold) -> tuple[float, str]:
    """A threshold as one number and its unit (a row-count range: its lower bound, else
    its upper one; the document keeps the whole range)."""
    if isinstance(parsed, Duration):
        return parsed.seconds, "seconds"
    if isinstance(parsed, RowRange):
        return float(parsed.minimum if parsed.minimum is not None else parsed.maximum or 0), "rows"
    return parsed.value, "percent"


# A new contract in one statement of fixed text (docs/performance.md, "Creates"): the
# contract row, its first version, its fields, quality metrics, access config and
# subscribers, the parts passed as one array per column through ``unnest``. The same rows
# as `ContractService.create` writes through the session (tests/test_creates.py compares
# them); the ids of the parts are the database's random UUIDs. Run outside a transaction,
# the statement is one: all of it is written or nothing (a name taken is a unique violation
# of ``contracts``, and nothing is written). The JSON parameters are text (``$16::text``: the
# document served as sent, byte for byte), cast to JSONB where a column is JSONB.
CREATE_SQL = """
WITH contract AS (
    INSERT INTO contracts (
        id, name, version, description, status, table_name, publisher_team, publisher_owner,
        repository_url, contact_email, odcs_id, odcs_object, tags, metadata, search_text,
        document, document_json, compliance, created_at, updated_at
    ) VALUES (
        $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::jsonb,
        $14::text::jsonb, $15, $16::text::jsonb, $16::text, '{}'::jsonb, $17, $17
    ) RETURNING id
), version AS (
    INSERT INTO contract_versions (
        id, contract_id, version, contract_snapshot, change_summary, changes, changed_by,
        created_at
    ) SELECT gen_random_uuid(), id, $3, $16::text::jsonb, 'created', '[]'::jsonb, $18, $17
    FROM contract
), fields AS (
    INSERT INTO contract_fields (
        id, contract_id, position, name, data_type, description, nullable, is_pii,
        is_primary_key, is_foreign_key, foreign_key_reference, "unique", example_value,
        constraints, created_at
    ) SELECT gen_random_uuid(), $1, f.position - 1, f.name, f.data_type, f.description,
        f.nullable, f.is_pii, f.is_primary_key, f.is_foreign_key, f.foreign_key_reference,
        f.is_unique, f.example_value::jsonb, f.constraints::jsonb, $17
    FROM unnest(
        $19::text[], $20::text[], $21::text[], $22::bool[], $23::bool[], $24::bool[],
        $25::bool[], $26::text[], $27::bool[], $28::text[], $29::text[]
    ) WITH ORDINALITY AS f(
        name, data_type, description, nullable, is_pii, is_primary_key, is_foreign_key,
        foreign_key_reference, is_unique, example_value, constraints, position
    )
), quality AS (
    INSERT INTO quality_metrics (
        id, contract_id, metric_type, threshold, threshold_value, threshold_unit,
        measurement_method, alert_on_breach, created_at
    ) SELECT gen_random_uuid(), $1, q.metric_type, q.threshold, q.threshold_value,
        q.threshold_unit, q.measurement_method, q.alert_on_breach, $17
    FROM unnest($30::text[], $31::text[], $32::float8[], $33::text[], $34::text[], $35::bool[])
        AS q(metric_type, threshold, threshold_value, threshold_unit, measurement_method,
        alert_on_breach)
), access AS (
    INSERT INTO access_configs (
        id, contract_id, endpoint_url, methods, auth_type, required_scopes, rate_limit,
        created_at
    ) SELECT gen_random_uuid(), $1, a.endpoint_url, a.methods::jsonb, a.auth_type,
        a.required_scopes::jsonb, a.rate_limit, $17
    FROM unnest($36::text[], $37::text[], $38::text[], $39::text[], $40::text[])
        AS a(endpoint_url, methods, auth_type, required_scopes, rate_limit)
), subscribers AS (
    INSERT INTO subscribers (
        id, contract_id, team, use_case, fields_used, contact_email, subscribed_at, updated_at
    ) SELECT gen_random_uuid(), $1, s.team, s.use_case, s.fields_used::jsonb,
        s.contact_email, $17, $17
    FROM unnest($41::text[], $42::text[], $43::text[], $44::text[])
        AS s(team, use_case, fields_used, contact_email)
)
SELECT 1
"""


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def creation_args(
    contract_id: uuid.UUID,
    definition: ContractDefinition,
    document: dict[str, Any],
    serialized: str,
    changed_by: str,
    now: datetime,
) -> tuple[Any, ...]:
    """The parameters of :data:`CREATE_SQL`: ``document`` is ``definition.to_document()``,
    ``serialized`` its JSON (`serialize_dump`). The fields are read from the document's
    dump (the same values as :func:`field_rows` takes from the model)."""
    columns = columns_from(definition)
    schema: list[dict[str, Any]] = document["schema"]
    quality = definition.quality
    thresholds = [_threshold_number(q.parsed_threshold()) for q in quality]
    access = [definition.access] if definition.access is not None else []
    subscribers = definition.subscribers
    return (
        contract_id,
        columns["name"],
        columns["version"],
        columns["description"],
        columns["status"],
        columns["table_name"],
        columns["publisher_team"],
        columns["publisher_owner"],
        columns["repository_url"],
        columns["contact_email"],
        columns["odcs_id"],
        columns["odcs_object"],
        _json(columns["tags"]),
        _json(columns["metadata_"]),
        columns["search_text"],
        serialized,
        now,
        changed_by,
        [f["name"] for f in schema],
        [f["data_type"] for f in schema],
        [f["description"] for f in schema],
        [f["nullable"] for f in schema],
        [f["is_pii"] for f in schema],
        [f["is_primary_key"] for f in schema],
        [f["is_foreign_key"] for f in schema],
        [f["foreign_key_reference"] for f in schema],
        [f["unique"] for f in schema],
        [None if f["example_value"] is None else _json(f["example_value"]) for f in schema],
        [_json(f["constraints"]) for f in schema],
        [str(q.metric_type) for q in quality],
        [q.threshold for q in quality],
        [value for value, _ in thresholds],
        [unit for _, unit in thresholds],
        [q.measurement_method for q in quality],
        [q.alert_on_breach for q in quality],
        [a.endpoint_url for a in access],
        [_json(list(a.methods)) for a in access],
        [str(a.auth_type) for a in access],
        [_json(list(a.required_scopes)) for a in access],
        [a.rate_limit for a in access],
        [s.team for s in subscribers],
        [s.use_case for s in subscribers],
        [_json(list(s.fields_used)) for s in subscribers],
        [s.contact_email for s in subscribers],
    )


async def insert_new(args: tuple[Any, ...]) -> None:
    """Write a new contract with all its rows: :data:`CREATE_SQL` (one round trip, its own
    transaction; a unique violation raised as the `IntegrityError` a session raises)."""
    await execute(CREATE_SQL, *args)
