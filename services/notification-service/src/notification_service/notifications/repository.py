"""Every query on notifications: the API's reads (async) and the worker's state changes (sync).

State machine of a notification (the worker's side):

    pending --claim--> sending --delivered--> sent
       ^                  |  \\--permanent error or last try--> failed
       '---retry later----'
    sending whose lease ran out (its worker died) can be claimed again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Interval,
    Table,
    and_,
    any_,
    bindparam,
    exists,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from datapact_common.locks import advisory_xact_locks
from notification_service.notifications.models import (
    COUNTED_STATUSES,
    Channel,
    Notification,
    Status,
    SuppressedReason,
)
from notification_service.preferences.models import Preference

# Hot paths (sending, bulk insert) use plain table statements: no ORM bookkeeping.
_T: Table = Notification.__table__  # type: ignore[assignment]

# ---------------------------------------------------------------- API (async) ---------------


@dataclass(frozen=True)
class NotificationFilter:
    contract: str | None = None
    recipient: str | None = None
    type: str | None = None
    status: str | None = None
    channel: str | None = None
    event_id: uuid.UUID | None = None
    since: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.contract is not None:
            conditions.append(Notification.contract_name == self.contract)
        if self.recipient is not None:
            conditions.append(Notification.recipient == self.recipient)
        if self.type is not None:
            conditions.append(Notification.event_type == self.type)
        if self.status is not None:
            conditions.append(Notification.status == self.status)
        if self.channel is not None:
            conditions.append(Notification.channel == self.channel)
        if self.event_id is not None:
            conditions.append(Notification.event_id == self.event_id)
        if self.since is not None:
            conditions.append(Notification.created_at >= self.since)
        return conditions


async def list_notifications(
    session: AsyncSession, filters: NotificationFilter, *, skip: int, limit: int
) -> tuple[Sequence[Notification], int]:
    conditions = filters.conditions()
    total = await session.scalar(select(func.count()).select_from(Notification).where(*conditions))
    rows = await session.scalars(
        select(Notification)
        .where(*conditions)
        .order_by(Notification.created_at.desc(), Notification.id)
        .offset(skip)
        .limit(limit)
    )
    return rows.all(), int(total or 0)


async def get_notification(
    session: AsyncSession, notification_id: uuid.UUID
) -> Notification | None:
    return await session.get(Notification, notification_id)


async def requeue_failed(session: AsyncSession, notification_id: uuid.UUID) -> bool:
    """Give a failed notification a fresh set of tries; False when it is not failed."""
    result = await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == Status.FAILED)
        .values(status=Status.PENDING, attempts=0, next_attempt_at=func.now(), lease_until=None)
        .returning(Notification.id)
    )
    return result.first() is not None


# ---------------------------------------------------------------- worker (sync) -------------


# Column → its PostgreSQL type, for the batch insert.
_TEXT_COLUMNS = (
    "event_type", "contract_name", "severity", "dedup_key", "channel", "recipient", "reason",
    "template", "subject", "body_text", "body_html", "status", "suppressed_reason", "note",
)  # fmt: skip
_INSERTED = {
    "id": "uuid",
    "event_id": "uuid",
    **dict.fromkeys(_TEXT_COLUMNS, "text"),
    "enqueued_at": "timestamptz",
    "answer_for": "jsonb",
}
# The rows travel as one array per column, in the binary format (%b): one short statement
# whatever the batch size. Measured on 220 rendered rows: 2 ms of CPU, where a multi-row
# VALUES list (SQLAlchemy's insertmanyvalues) cost 16 ms, mostly the driver parsing the long
# statement anew each time, and text-format arrays 32 ms (escaping every body).
_INSERT_ROWS = (
    f"INSERT INTO notifications ({', '.join(_INSERTED)}) SELECT * FROM unnest("  # noqa: S608
    + ", ".join(f"%b::{kind}[]" for kind in _INSERTED.values())
    + ") ON CONFLICT (event_id, recipient, channel) DO NOTHING RETURNING id, status"
)


def insert_notifications(session: Session, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
    """Insert, in the session's transaction; a row that already exists for (event, recipient,
    channel) is skipped.

    Returns the ids of the inserted rows that are to be sent, in the order of ``rows``.
    """
    if not rows:
        return []
    columns = [[row[name] for row in rows] for name in _INSERTED]
    driver: Any = session.connection().connection.driver_connection  # psycopg.Connection
    with driver.cursor() as cursor:
        cursor.execute(_INSERT_ROWS, columns)
        pending = {row_id for row_id, status in cursor.fetchall() if status == Status.PENDING}
    return [row["id"] for row in rows if row["id"] in pending]


def lock_recipients(session: Session, recipients: list[str]) -> None:
    """Serialise decisions per recipient (dedup and rate limit are read-then-write)."""
    advisory_xact_locks(session, recipients)


def recently_told_batch(
    session: Session, keys: list[tuple[str, str, str, str]], *, window: timedelta
) -> set[tuple[str, str, str, str]]:
    """Which (recipient, type, contract, dedup_key) were told within ``window``."""
    if not keys or window <= timedelta(0):
        return set()
    wanted = sorted(set(keys))
    rows = session.execute(
        select(
            Notification.recipient,
            Notification.event_type,
            Notification.contract_name,
            Notification.dedup_key,
        )
        .where(
            Notification.recipient.in_({k[0] for k in wanted}),
            tuple_(
                Notification.recipient,
                Notification.event_type,
                Notification.contract_name,
                Notification.dedup_key,
            ).in_(wanted),
            Notification.status.in_(COUNTED_STATUSES),
            Notification.created_at > func.now() - window,
        )
        .distinct()
    )
    return {(str(a), str(b), str(c), str(d)) for a, b, c, d in rows}


def counts_last_hour(session: Session, recipients: list[str]) -> dict[str, int]:
    if not recipients:
        return {}
    rows = session.execute(
        select(Notification.recipient, func.count())
        .where(
            Notification.recipient.in_(recipients),
            Notification.status.in_(COUNTED_STATUSES),
            Notification.created_at > func.now() - timedelta(hours=1),
        )
        .group_by(Notification.recipient)
    )
    return {recipient: int(count) for recipient, count in rows}


@dataclass(frozen=True)
class Claimed:
    id: uuid.UUID
    event_type: str
    channel: str
    recipient: str
    subject: str
    body_text: str
    body_html: str | None
    attempts: int
    # The proposal answers to sign links for as it is sent (recipients/answers.py), or None.
    answer_for: dict[str, Any] | None = None


# The send path's statements are built once; each send only binds values.
_NOW = func.now()
_CLAIMABLE = or_(
    and_(_T.c.status == Status.PENDING, _T.c.next_attempt_at <= _NOW),
    and_(_T.c.status == Status.SENDING, _T.c.lease_until < _NOW),
)
_CLAIMED_COLUMNS = (
    _T.c.id,
    _T.c.event_type,
    _T.c.channel,
    _T.c.recipient,
    _T.c.subject,
    _T.c.body_text,
    _T.c.body_html,
    _T.c.attempts,
    _T.c.answer_for,
)
_TAKE = {
    "status": Status.SENDING,
    "attempts": _T.c.attempts + 1,
    "lease_until": _NOW + bindparam("lease", type_=Interval()),
}
_CLAIM = (
    update(_T)
    .where(_T.c.id == bindparam("notification_id"), _CLAIMABLE)
    .values(_TAKE)
    .returning(*_CLAIMED_COLUMNS)
)
# A batch: one statement whatever its size (an array parameter, so one prepared statement).
_CLAIM_MANY = (
    update(_T)
    .where(_T.c.id == any_(bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True)))), _CLAIMABLE)
    .values(_TAKE)
    .returning(*_CLAIMED_COLUMNS)
)
_STATE = select(_T.c.status, _T.c.lease_until).where(_T.c.id == bindparam("notification_id"))
# Fencing: only the holder of this attempt may settle it.
_OURS = and_(
    _T.c.id == bindparam("notification_id"),
    _T.c.status == Status.SENDING,
    _T.c.attempts == bindparam("attempt"),
)
_SETTLE = update(_T).where(_OURS).returning(_T.c.id)
_SENT = _SETTLE.values(
    status=Status.SENT, sent_at=_NOW, updated_at=_NOW, lease_until=None, last_error=None
)
_RETRY = _SETTLE.values(
    status=Status.PENDING,
    last_error=bindparam("error"),
    next_attempt_at=_NOW + bindparam("delay", type_=Interval()),
    enqueued_at=_NOW,
    updated_at=_NOW,
    lease_until=None,
)
_RELEASE = (
    update(_T)
    .where(_OURS)
    .values(
        status=Status.PENDING, attempts=_T.c.attempts - 1, lease_until=None, next_attempt_at=_NOW
    )
)
_FAILED = _SETTLE.values(
    status=Status.FAILED, last_error=bindparam("error"), updated_at=_NOW, lease_until=None
)


def _claimed(row: Any) -> Claimed:
    return Claimed(
        id=row.id,
        event_type=row.event_type,
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body_text=row.body_text,
        body_html=row.body_html,
        attempts=row.attempts,
        answer_for=row.answer_for,
    )


def claim(session: Connection, notification_id: uuid.UUID, lease: timedelta) -> Claimed | None:
    """pending (and due) → sending, or take over a sending whose lease has run out."""
    row = session.execute(_CLAIM, {"notification_id": notification_id, "lease": lease}).first()
    return _claimed(row) if row is not None else None


def claim_many(
    session: Connection, notification_ids: list[uuid.UUID], lease: timedelta
) -> dict[uuid.UUID, Claimed]:
    """``claim`` for several at once, in one statement: those that could be claimed, by id."""
    rows = session.execute(_CLAIM_MANY, {"ids": notification_ids, "lease": lease})
    return {row.id: _claimed(row) for row in rows}


def release(session: Connection, claims: list[Claimed]) -> int:
    """Give back claims not acted on (nothing was sent): pending again, due now, the attempt
    not counted. Fenced like settling. Returns how many were given back."""
    released = 0
    for c in claims:  # rare (a task out of time or failing): one statement each is fine
        bound = {"notification_id": c.id, "attempt": c.attempts}
        released += session.execute(_RELEASE, bound).rowcount
    return released


def state_of(session: Connection, notification_id: uuid.UUID) -> tuple[str, datetime | None] | None:
    row = session.execute(_STATE, {"notification_id": notification_id}).first()
    return (row[0], row[1]) if row is not None else None


def _settled(session: Connection, statement: Any, claimed: Claimed, **values: Any) -> bool:
    bound = {"notification_id": claimed.id, "attempt": claimed.attempts, **values}
    return session.execute(statement, bound).first() is not None


def mark_sent(session: Connection, claimed: Claimed) -> bool:
    return _settled(session, _SENT, claimed)


def mark_retry(session: Connection, claimed: Claimed, error: str, delay: timedelta) -> bool:
    return _settled(session, _RETRY, claimed, error=error[:4000], delay=delay)


def mark_failed(session: Connection, claimed: Claimed, error: str) -> bool:
    return _settled(session, _FAILED, claimed, error=error[:4000])


def due_for_sweep(session: Session, grace: timedelta, limit: int) -> list[uuid.UUID]:
    """Sendable notifications nobody seems to be working on; marks them re-enqueued."""
    now = func.now()
    stale = (
        select(Notification.id)
        .where(
            or_(
                and_(
                    Notification.status == Status.PENDING,
                    Notification.next_attempt_at <= now,
                    or_(Notification.enqueued_at.is_(None), Notification.enqueued_at < now - grace),
                ),
                and_(Notification.status == Status.SENDING, Notification.lease_until < now),
            )
        )
        .order_by(Notification.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(stale).all())
    if ids:
        session.execute(
            update(Notification).where(Notification.id.in_(ids)).values(enqueued_at=now)
        )
    return ids


@dataclass(frozen=True)
class DigestCandidate:
    recipient: str
    total: int


def digest_candidates(session: Session, interval: timedelta, limit: int) -> list[DigestCandidate]:
    """E-mail recipients with rate-limited notifications older than ``interval``, undigested."""
    rows = session.execute(
        select(Notification.recipient, func.count())
        .where(
            Notification.suppressed_reason == SuppressedReason.RATE_LIMITED,
            Notification.digest_id.is_(None),
            Notification.channel == Channel.EMAIL,
            ~exists().where(
                Preference.email == Notification.recipient, Preference.digest.is_(False)
            ),
        )
        .group_by(Notification.recipient)
        .having(func.min(Notification.created_at) < func.now() - interval)
        .limit(limit)
    )
    return [DigestCandidate(recipient, int(total)) for recipient, total in rows]


def undigested(session: Session, recipient: str) -> Sequence[Notification]:
    return session.scalars(
        select(Notification)
        .where(
            Notification.recipient == recipient,
            Notification.suppressed_reason == SuppressedReason.RATE_LIMITED,
            Notification.digest_id.is_(None),
            Notification.channel == Channel.EMAIL,
        )
        .order_by(Notification.created_at)
        .with_for_update(skip_locked=True)
    ).all()
