"""Task: deliver one notification, at most once per claim (see docs/notifications.md).

1. Claim: one UPDATE moves the row pending → sending with a lease (attempts + 1). A row that
   is sent, failed, or sending under someone else's live lease cannot be claimed, so a
   redelivered or duplicated wake-up never sends twice.
2. Send through the channel; the notification id is the Message-ID.
3. Settle: sent, or back to pending with a backoff, or failed after the last try — fenced on
   the attempt number so only the claim holder may settle.
A worker killed between 1 and 3 leaves the row ``sending``; once the lease runs out the
redelivered task (acks_late) or the sweep claims it again, so nothing is lost.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from notification_service.celery_app import celery_app
from notification_service.channels.base import (
    DeliveryError,
    OutgoingMessage,
    PermanentDeliveryError,
)
from notification_service.channels.registry import channel_for
from notification_service.config import get_settings
from notification_service.database import delivery_engine
from notification_service.notifications import repository as notifications
from notification_service.notifications.models import Status

logger = logging.getLogger(__name__)
STATEMENT_TRIES = 5
T = TypeVar("T")
SOFT_LIMIT_TEXT = "the task's soft time limit"


def _with_retries(action: Callable[[Connection], T]) -> T:
    """One delivery-state statement; the database may blink (a connection found dead is
    replaced: the engine does not ping on checkout), the outcome must not be forgotten."""
    engine = delivery_engine()
    for attempt in range(STATEMENT_TRIES):
        try:
            with engine.connect() as connection:
                return action(connection)
        except OperationalError:
            if attempt == STATEMENT_TRIES - 1:
                raise
            time.sleep(0.2 * 2**attempt)
    raise AssertionError("unreachable")


_settle = _with_retries


@celery_app.task(name="notifications.send")
def send_notification(notification_id: str) -> None:
    deliver(notification_id)


@celery_app.task(name="notifications.send_many")
def send_notifications(notification_ids: list[str]) -> None:
    """Several notifications one after the other, each claimed, sent and settled on its own
    exactly as by ``send_notification``: one task's overhead for the batch. When the task
    runs out of time (or fails), the rest are queued again as a task of their own."""
    for index, notification_id in enumerate(notification_ids):
        try:
            in_time = deliver(notification_id)
        except BaseException:
            _queue_rest(notification_ids[index + 1 :])
            raise
        if not in_time:
            _queue_rest(notification_ids[index + 1 :])
            return


def _queue_rest(notification_ids: list[str]) -> None:
    if not notification_ids:
        return
    try:
        send_notifications.apply_async((notification_ids,), retry=False)
    except Exception as exc:  # broker away: the sweep offers them again
        logger.warning("could not queue %d notification(s): %s", len(notification_ids), exc)


def deliver(notification_id: str) -> bool:
    """Claim, send, settle one notification. False when the task's soft time limit struck
    (the notification is settled as a failed try; the task must stop)."""
    settings = get_settings()
    key = uuid.UUID(notification_id)
    lease = timedelta(seconds=settings.send_lease_seconds)
    # A claim may be repeated: if the first one took effect unseen, the second finds the row
    # under a live lease and looks again once it has run out.
    claimed = _with_retries(lambda c: notifications.claim(c, key, lease))
    if claimed is None:
        state = _with_retries(lambda c: notifications.state_of(c, key))
        if state is not None and state[0] == Status.SENDING and state[1] is not None:
            # Someone holds it. If they die, look again when their lease runs out.
            wait = (state[1] - datetime.now(UTC)).total_seconds() + 0.5
            send_notification.apply_async((notification_id,), countdown=max(wait, 0.5))
        return True

    message = OutgoingMessage(
        id=claimed.id,
        recipient=claimed.recipient,
        subject=claimed.subject,
        text=claimed.body_text,
        html=claimed.body_html,
    )
    channel = channel_for(claimed.channel)
    try:
        channel.send(message)
    except DeliveryError as exc:
        settle_failure(notification_id, claimed, exc)
        return True
    except SoftTimeLimitExceeded:
        channel.abort()  # the connection is in an unknown state
        error = DeliveryError(f"sending took longer than {SOFT_LIMIT_TEXT}")
        settle_failure(notification_id, claimed, error)
        return False
    if not _settle(lambda s: notifications.mark_sent(s, claimed)):
        logger.error("notification %s sent but its claim was lost", notification_id)
    return True


def settle_failure(
    notification_id: str, claimed: notifications.Claimed, exc: DeliveryError
) -> None:
    settings = get_settings()
    error = str(exc)
    if isinstance(exc, PermanentDeliveryError) or claimed.attempts >= settings.max_attempts:
        logger.warning(
            "notification %s failed after %d tries: %s", notification_id, claimed.attempts, error
        )
        _settle(lambda s: notifications.mark_failed(s, claimed, error))
        return
    delay = settings.backoff_seconds(claimed.attempts)
    logger.info("notification %s: %s; retry in %.1fs", notification_id, error, delay)
    if _settle(lambda s: notifications.mark_retry(s, claimed, error, timedelta(seconds=delay))):
        send_notification.apply_async((notification_id,), countdown=delay)
