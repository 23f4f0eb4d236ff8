"""Receiving a GitHub delivery: verify, decide whether it is work, store it once, queue it.

Nothing here calls GitHub: the answer goes back within milliseconds and the work runs in
the contract-worker (``tasks.process_delivery``), queued only after the row is committed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import parse_qs

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.enqueue import PROCESS_TASK, contract_queue
from contract_service.github import repository as repo
from contract_service.github.config import GitHubSettings
from contract_service.github.errors import WebhookPayloadError
from contract_service.github.schemas import ZERO_SHA, PullRequestEvent, PushEvent
from contract_service.github.signature import signature_valid
from datapact_common.db import after_commit
from datapact_common.exceptions import AuthenticationError, DataPactError, DocumentParseError

logger = logging.getLogger(__name__)

PR_ACTIONS = frozenset({"opened", "synchronize", "reopened", "ready_for_review"})
_EVENT_RE = re.compile(r"^[a-z_]{1,100}$")
_DELIVERY_RE = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")


class MissingHeaderError(DataPactError):
    status_code = 400


@dataclass
class Receipt:
    status_code: int
    body: dict[str, Any]


def verify_signature(settings: GitHubSettings, body: bytes, header: str | None) -> None:
    secret = settings.webhook_secret
    if secret is None:
        if settings.unsigned_allowed:
            logger.warning("accepting an unsigned GitHub delivery (development mode)")
            return
        raise AuthenticationError(
            "GitHub webhooks are refused: GITHUB_WEBHOOK_SECRET is not configured"
        )
    if not header:
        raise AuthenticationError("missing X-Hub-Signature-256 header")
    if not signature_valid(secret, body, header):
        raise AuthenticationError("X-Hub-Signature-256 does not match the body")


def check_headers(event: str | None, delivery_id: str | None) -> tuple[str, str]:
    if not event:
        raise MissingHeaderError("missing X-GitHub-Event header")
    if not _EVENT_RE.match(event):
        raise MissingHeaderError(f"X-GitHub-Event {event[:100]!r} is not an event name")
    if not delivery_id:
        raise MissingHeaderError("missing X-GitHub-Delivery header")
    if not _DELIVERY_RE.match(delivery_id):
        raise MissingHeaderError("X-GitHub-Delivery is not a delivery id")
    return event, delivery_id


def parse_payload(body: bytes, content_type: str | None) -> dict[str, Any]:
    """The JSON payload; GitHub sends it raw or form-encoded in ``payload=`` (both supported)."""
    media = (content_type or "application/json").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentParseError(f"body is not UTF-8 (byte {exc.start})") from exc
    if media == "application/x-www-form-urlencoded":
        values = parse_qs(text).get("payload")
        if not values:
            raise DocumentParseError("form-encoded delivery without a 'payload' field")
        text = values[0]
    elif media != "application/json" and not media.endswith("+json"):
        raise DocumentParseError(f"unsupported content type {media!r}; GitHub sends JSON")
    if not text.strip():
        raise DocumentParseError("request body is empty")
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentParseError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(payload, dict):
        raise DocumentParseError("the payload must be a JSON object")
    return payload


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], payload: dict[str, Any], event: str) -> M:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise WebhookPayloadError(f"not a valid '{event}' payload: {problems}") from exc


@dataclass
class _Work:
    action: str | None
    repository: str


def classify(event: str, payload: dict[str, Any]) -> _Work | str:
    """The work a delivery asks for, or why it is ignored; malformed payloads raise (422)."""
    if event == "pull_request":
        pr = _validated(PullRequestEvent, payload, event)
        if pr.action == "closed":
            if pr.pull_request.merged:  # the push to the default branch syncs it
                return "pull_request closed by its merge: the merge sync handles it"
            return _Work(pr.action, pr.repository.full_name)  # withdraws its proposals
        if pr.action not in PR_ACTIONS:
            return f"pull_request action '{pr.action}' is not checked"
        return _Work(pr.action, pr.repository.full_name)
    if event == "push":
        push = _validated(PushEvent, payload, event)
        if push.deleted or push.after == ZERO_SHA:
            return "branch deletion"
        if push.branch != push.repository.default_branch:
            return f"push to {push.ref}, not to the default branch"
        return _Work(None, push.repository.full_name)
    return f"event '{event}' is not handled"


async def receive(
    session: AsyncSession,
    settings: GitHubSettings,
    *,
    event: str,
    delivery_id: str,
    payload: dict[str, Any],
) -> Receipt:
    if event == "ping":
        zen, hook = payload.get("zen"), payload.get("hook_id")
        return Receipt(200, {"status": "pong", "zen": zen, "hook_id": hook})
    work = classify(event, payload)
    if isinstance(work, str):
        return Receipt(202, {"status": "ignored", "event": event, "reason": work})
    row_id = await repo.insert_delivery(
        session,
        delivery_id=delivery_id,
        event=event,
        action=work.action,
        repository=work.repository,
        payload=payload,
    )
    if row_id is not None:
        after_commit(session, _queue(str(row_id)))
        return Receipt(202, {"status": "queued", "delivery": delivery_id})
    existing = await repo.get_by_delivery_id(session, delivery_id)
    if existing is None:  # deleted concurrently; GitHub will retry
        return Receipt(409, {"detail": "delivery is being stored concurrently; retry"})
    stale = timedelta(seconds=settings.github_stale_processing_seconds)
    if await repo.requeue_if_unfinished(session, existing, stale):
        after_commit(session, _queue(str(existing.id)))
        return Receipt(202, {"status": "requeued", "delivery": delivery_id})
    return Receipt(
        200, {"status": "duplicate", "delivery": delivery_id, "delivery_status": existing.status}
    )


def _queue(row_id: str) -> Any:
    async def send() -> None:
        await asyncio.to_thread(send_process_task, row_id)

    return send


def send_process_task(row_id: str) -> None:
    try:
        contract_queue.send(PROCESS_TASK, row_id, **_RETRY)
    except Exception as exc:  # broker down: the periodic sweep picks the stored delivery up
        logger.warning("could not queue GitHub delivery %s (%s); the sweep will", row_id, exc)


_RETRY: dict[str, Any] = {
    "retry": True,
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
}
