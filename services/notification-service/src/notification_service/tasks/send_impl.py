"""The code of the tasks in tasks/send.py: deliver notifications, each at most once per
claim (see docs/notifications.md).

``send_notifications`` takes a batch (enqueue.py queues SEND_BATCH per task), claims it
in one statement and then sends and settles each notification on its own;
``send_notification`` takes one (retries, the sweep's look-again). Per notification:

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
from notification_service.enqueue import SEND_MANY_TASK, SEND_TASK
from notification_service.notifications import repository as notifications
from notification_service.notifications.models import Channel, Status
from notification_service.rendering.answer_links import with_answer_links
from notification_service.rendering.links import with_link

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


def run_one(notification_id: str) -> None:
    """The task ``send_notification`` (tasks/send.py)."""
    key = uuid.UUID(notification_id)
    lease = timedelta(seconds=get_settings().send_lease_seconds)
    # A claim may be repeated: if the first one took effect unseen, the second finds the row
    # under a live lease and looks again once it has run out.
    claimed = _with_retries(lambda c: notifications.claim(c, key, lease))
    if claimed is None:
        look_again_later(key)
        return
    deliver(claimed)


def run_many(notification_ids: list[str]) -> None:
    """The task ``send_notifications`` (tasks/send.py). Several notifications: claimed
    together in one statement (one lease, within the task's time limit like a single one),
    then each sent and settled on its own exactly as by ``send_notification``. One task's
    and one claim's overhead for the batch.

    Claims this task does not get to (its soft time limit struck, or it failed) are given
    back and queued again; if the worker dies, they are taken back when the lease runs out.
    """
    keys = [uuid.UUID(i) for i in notification_ids]
    lease = timedelta(seconds=get_settings().send_lease_seconds)
    claims = _with_retries(lambda c: notifications.claim_many(c, keys, lease))
    for key in keys:
        if key not in claims:
            look_again_later(key)
    todo = [claims[key] for key in keys if key in claims]
    for index, claimed in enumerate(todo):
        try:
            in_time = deliver(claimed)
        except BaseException:
            _give_back(todo[index + 1 :])
            raise
        if not in_time:
            _give_back(todo[index + 1 :])
            return


def _give_back(claims: list[notifications.Claimed]) -> None:
    if not claims:
        return
    try:
        _with_retries(lambda c: notifications.release(c, claims))
        ids = [str(c.id) for c in claims]
        celery_app.send_task(SEND_MANY_TASK, (ids,), retry=False)
    except Exception as exc:  # the lease runs out and the sweep offers them again
        logger.warning("could not give back %d notification(s): %s", len(claims), exc)


def look_again_later(key: uuid.UUID) -> None:
    """Not claimable. If someone holds it under a lease, look again when the lease runs out
    (if they die, it is ours then); sent or failed ones are left alone."""
    state = _with_retries(lambda c: notifications.state_of(c, key))
    if state is not None and state[0] == Status.SENDING and state[1] is not None:
        wait = (state[1] - datetime.now(UTC)).total_seconds() + 0.5
        celery_app.send_task(SEND_TASK, (str(key),), countdown=max(wait, 0.5))


def deliver(claimed: notifications.Claimed) -> bool:
    """Send a claimed notification and settle it. False when the task's soft time limit
    struck (the notification is settled as a failed try; the task must stop)."""
    notification_id = str(claimed.id)
    text, html = claimed.body_text, claimed.body_html
    if claimed.channel == Channel.EMAIL:  # the recipient's signed links, never stored
        settings = get_settings()
        text, html = with_answer_links(settings, claimed.answer_for, claimed.recipient, text, html)
        text, html = with_link(settings, claimed.event_type, claimed.recipient, text, html)
    message = OutgoingMessage(
        id=claimed.id, recipient=claimed.recipient, subject=claimed.subject, text=text, html=html
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
    if not _with_retries(lambda s: notifications.mark_sent(s, claimed)):
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
        _with_retries(lambda s: notifications.mark_failed(s, claimed, error))
        return
    delay = settings.backoff_seconds(claimed.attempts)
    logger.info("notification %s: %s; retry in %.1fs", notification_id, error, delay)
    wait = timedelta(seconds=delay)
    if _with_retries(lambda s: notifications.mark_retry(s, claimed, error, wait)):
        celery_app.send_task(SEND_TASK, (notification_id,), countdown=delay)
