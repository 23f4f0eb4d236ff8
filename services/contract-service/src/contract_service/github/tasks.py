"""Celery tasks of the GitHub integration (queue ``contracts``, the contract-worker).

``process_delivery`` claims a stored delivery (so a duplicate message never runs it twice),
does the work, and writes the outcome — the delivery's final status and the events, through
the outbox — in one transaction. GitHub trouble that should pass (5xx, rate limits, network)
puts the delivery back and retries with backoff; anything else marks it ``failed`` with the
error (a GitHub "Redeliver" re-runs a failed delivery). ``sweep_deliveries`` (every minute,
by beat) re-queues deliveries whose queue message or worker got lost.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from celery import Task
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contract_service.config import CELERY_QUEUE
from contract_service.database import task_sessionmaker, unit_of_work
from contract_service.enqueue import PROCESS_TASK, RECHECK_TASK, SWEEP_TASK
from contract_service.github import repository as repo
from contract_service.github.auto_propose import withdraw_closed
from contract_service.github.config import GitHubSettings, get_github_settings
from contract_service.github.connection import client_for
from contract_service.github.errors import GitHubError, GitHubTransientError
from contract_service.github.push_sync import (
    PushOutcome,
    alert_rejections,
    changed_contract_paths,
    read_contract_files,
    sync_contracts,
)
from contract_service.github.schemas import PullRequestEvent, PushEvent
from contract_service.github.service import send_process_task
from contract_service.outbox.service import enqueue
from contract_service.worker import celery_app
from datapact_common.locks import advisory_lock
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)

MAX_RETRIES = 6
SWEEP_WAITING_SECONDS = 60.0

celery_app.conf.beat_schedule = {
    **(celery_app.conf.beat_schedule or {}),
    "github-delivery-sweep": {
        "task": SWEEP_TASK,
        "schedule": 60.0,
        "options": {"queue": CELERY_QUEUE, "expires": 120},
    },
}


@dataclass
class Outcome:
    status: str
    detail: dict[str, Any] = field(default_factory=dict)
    retry_in: float | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, **self.detail, "error": self.error}


def _backoff(retries: int) -> float:
    return float(min(300, 5 * 2**retries))


def pull_request_lock(
    sessionmaker: async_sessionmaker[AsyncSession], key: str
) -> AbstractAsyncContextManager[None]:
    """One check at a time per pull request (so two pushes never race on the comment): the
    advisory lock on ``key``, held on a connection of the task's engine of its own, in
    autocommit, so no transaction stays open while GitHub is called (datapact_common.locks)."""
    engine: AsyncEngine = sessionmaker.kw["bind"]
    return advisory_lock(engine, key)


async def _pull_request(
    sessionmaker: async_sessionmaker[AsyncSession],
    http: httpx.AsyncClient,
    claimed: repo.ClaimedDelivery,
    settings: GitHubSettings,
) -> Outcome:
    event = PullRequestEvent.model_validate(claimed.payload)
    owner, name = event.repository.owner.login, event.repository.name
    installation = event.installation.id if event.installation else None
    gh = await client_for(http, settings, installation, owner, name)
    key = f"github-pr:{event.repository.full_name}#{event.pull_request.number}"
    # The check's analysis (sqlglot and the DDL readers, about 30 MB) is imported by the first
    # pull request, not with the worker: most installations never receive one.
    from contract_service.github.pr_check import check_pull_request

    async with pull_request_lock(sessionmaker, key):
        result = await check_pull_request(
            sessionmaker, gh, event, settings,
            delivery_id=claimed.delivery_id, attempt=claimed.attempts,
        )  # fmt: skip
    async with unit_of_work(sessionmaker) as session:
        for envelope in result.events:
            enqueue(session, envelope)
        await repo.finish(session, claimed.id, repo.PROCESSED)
    return Outcome(repo.PROCESSED, result.as_dict())


async def _closed_pull_request(
    sessionmaker: async_sessionmaker[AsyncSession], claimed: repo.ClaimedDelivery
) -> Outcome:
    """Closed unmerged: the proposals the pull request opened are withdrawn (a merged one is
    the merge sync's). No GitHub call; under the pull request's lock, so a check of the same
    pull request running now cannot open a proposal after the withdrawal."""
    event = PullRequestEvent.model_validate(claimed.payload)
    number, full_name = event.pull_request.number, event.repository.full_name
    key = f"github-pr:{full_name}#{number}"
    async with pull_request_lock(sessionmaker, key), unit_of_work(sessionmaker) as session:
        withdrawn = await withdraw_closed(session, full_name, number)
        await repo.forget_proposal_checks(session, full_name, number)
        await repo.finish(session, claimed.id, repo.PROCESSED)
    if withdrawn:
        logger.info(
            "%s#%d closed unmerged: withdrew proposal(s) %s",
            full_name, number, ", ".join(str(p.id) for p in withdrawn),
        )  # fmt: skip
    return Outcome(repo.PROCESSED, {"withdrawn": [str(p.id) for p in withdrawn]})


async def _push(
    sessionmaker: async_sessionmaker[AsyncSession],
    http: httpx.AsyncClient,
    claimed: repo.ClaimedDelivery,
    settings: GitHubSettings,
) -> Outcome:
    event = PushEvent.model_validate(claimed.payload)
    owner, name = event.repository.owner.login, event.repository.name
    installation = event.installation.id if event.installation else None
    gh = await client_for(http, settings, installation, owner, name)
    paths = await changed_contract_paths(gh, event, settings)
    texts, unreadable = await read_contract_files(gh, event, paths, settings)
    outcome = PushOutcome(rejected=list(unreadable))
    async with unit_of_work(sessionmaker) as session:
        await sync_contracts(session, event, texts, outcome)
        names = {r.contract for r in outcome.rejected if r.contract}
        registry = await repo.registry_for(session, names, set())
        alert_rejections(session, event, outcome, registry.ids)
        status = repo.REJECTED if outcome.rejected else repo.PROCESSED
        await repo.finish(session, claimed.id, status, outcome.error())
    if outcome.rejected:
        logger.warning("push %s: contracts refused: %s", event.after[:12], outcome.error())
    return Outcome(status, outcome.as_dict(), error=outcome.error())


async def process(row_id: uuid.UUID, retries: int = 0) -> Outcome:
    settings = get_github_settings()
    stale = timedelta(seconds=settings.github_stale_processing_seconds)
    async with task_sessionmaker() as sessionmaker:
        async with unit_of_work(sessionmaker) as session:
            claimed = await repo.claim(session, row_id, stale)
        if claimed is None:
            return Outcome("skipped", {"reason": "already processed or being processed"})
        waited = (utcnow() - claimed.received_at).total_seconds()
        logger.info(
            "GitHub %s delivery %s: attempt %d, started %.0f ms after receipt",
            claimed.event, claimed.delivery_id, claimed.attempts, 1000 * waited,
        )  # fmt: skip
        try:
            timeout = httpx.Timeout(settings.github_request_timeout_seconds)
            async with httpx.AsyncClient(timeout=timeout) as http:
                if claimed.event == "pull_request" and claimed.payload.get("action") == "closed":
                    return await _closed_pull_request(sessionmaker, claimed)
                if claimed.event == "pull_request":
                    return await _pull_request(sessionmaker, http, claimed, settings)
                if claimed.event == "push":
                    return await _push(sessionmaker, http, claimed, settings)
                async with unit_of_work(sessionmaker) as session:
                    await repo.finish(session, claimed.id, repo.IGNORED)
                return Outcome(repo.IGNORED)
        except GitHubError as exc:
            if not exc.transient or retries >= MAX_RETRIES:
                return await _fail(sessionmaker, claimed.id, exc.message)
            async with unit_of_work(sessionmaker) as session:
                await repo.finish(session, claimed.id, repo.RECEIVED, exc.message)
            retry_after = exc.retry_after if isinstance(exc, GitHubTransientError) else None
            wait = max(retry_after or 0.0, _backoff(retries))
            return Outcome(repo.RECEIVED, retry_in=wait, error=exc.message)
        except Exception as exc:
            logger.exception("GitHub delivery %s failed", claimed.delivery_id)
            return await _fail(sessionmaker, claimed.id, f"{type(exc).__name__}: {exc}")


async def _fail(
    sessionmaker: async_sessionmaker[AsyncSession], row_id: uuid.UUID, error: str
) -> Outcome:
    async with unit_of_work(sessionmaker) as session:
        await repo.finish(session, row_id, repo.FAILED, error)
    return Outcome(repo.FAILED, error=error)


@celery_app.task(name=PROCESS_TASK, bind=True, max_retries=MAX_RETRIES, acks_late=True)
def process_delivery(self: Task[Any, Any], row_id: str) -> dict[str, Any]:
    outcome = asyncio.run(process(uuid.UUID(row_id), self.request.retries))
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.as_dict()


async def sweep() -> list[str]:
    settings = get_github_settings()
    now = utcnow()
    async with task_sessionmaker() as sessionmaker, unit_of_work(sessionmaker) as session:
        ids = await repo.unfinished(
            session,
            waiting_since=now - timedelta(seconds=SWEEP_WAITING_SECONDS),
            stale_before=now - timedelta(seconds=settings.github_stale_processing_seconds),
            limit=100,
        )
    return [str(i) for i in ids]


@celery_app.task(name=SWEEP_TASK)
def sweep_deliveries() -> list[str]:
    ids = asyncio.run(sweep())
    for row_id in ids:
        send_process_task(row_id)
    return ids


async def recheck(contract_id: uuid.UUID) -> list[str]:
    """A new delivery, copied from the latest one of each pull request whose check showed
    this contract's proposal state, so the check runs again (a new check run) without a new
    push. Returns the new rows' ids, to process."""
    ids: list[str] = []
    async with task_sessionmaker() as sessionmaker, unit_of_work(sessionmaker) as session:
        for mention in await repo.proposal_checks(session, contract_id):
            latest = await repo.get_by_delivery_id(session, mention.delivery_id)
            if latest is None:
                continue
            row_id = await repo.insert_delivery(
                session,
                delivery_id=f"{mention.delivery_id}+recheck-{uuid.uuid4().hex[:12]}",
                event=latest.event,
                action=latest.action,
                repository=latest.repository,
                payload=latest.payload,
            )
            if row_id is not None:
                ids.append(str(row_id))
    return ids


@celery_app.task(name=RECHECK_TASK)
def recheck_proposals(contract_id: str) -> list[str]:
    """Queued by the proposals when a team answers, a proposal is made or withdrawn."""
    ids = asyncio.run(recheck(uuid.UUID(contract_id)))
    for row_id in ids:
        send_process_task(row_id)
    return ids
