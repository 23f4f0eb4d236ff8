"""A push to the default branch: every changed contract file is synced into the registry.

Each contract goes through ``ContractService.upsert`` — the same path (and semver policy) as
an API update, with ``changed_by`` = the pusher's login and the registered subscribers kept.
A contract the registry refuses (invalid document, version bump too small) is recorded on the
delivery and alerted, never silently accepted; the other contracts of the push still sync.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts.service import ContractService
from contract_service.github.client import FileUnavailableError, GitHubClient
from contract_service.github.config import GitHubSettings
from contract_service.github.events import sync_rejected_event
from contract_service.github.schemas import ZERO_SHA, PushEvent
from contract_service.outbox.service import enqueue
from datapact_common.analysis.contract_files import parse_contract_file
from datapact_common.analysis.patterns import is_contract_file
from datapact_common.contract_schema import ContractDefinition
from datapact_common.exceptions import DataPactError

logger = logging.getLogger(__name__)
PUSH_COMMIT_LIMIT = 20  # GitHub lists at most 20 commits in a push payload


@dataclass
class Rejection:
    path: str
    contract: str | None
    version: str | None
    reason: str
    fields: list[str] = field(default_factory=list)


@dataclass
class PushOutcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def error(self) -> str | None:
        if not self.rejected:
            return None
        return "; ".join(f"{r.contract or r.path}: {r.reason}" for r in self.rejected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [
                {"contract": r.contract, "path": r.path, "reason": r.reason} for r in self.rejected
            ],
        }


async def changed_contract_paths(
    gh: GitHubClient, event: PushEvent, settings: GitHubSettings
) -> list[str]:
    """Contract files added or modified by the push (from the compare API when the payload's
    commit list may be truncated or rewritten)."""
    owner, name = event.repository.owner.login, event.repository.name
    patterns = settings.github_contract_patterns
    use_compare = event.before != ZERO_SHA and (
        len(event.commits) >= PUSH_COMMIT_LIMIT or event.forced or not event.commits
    )
    paths: list[str] = []
    if use_compare:
        for entry in await gh.compare_files(owner, name, event.before, event.after):
            if entry.get("status") != "removed":
                paths.append(str(entry["filename"]))
    else:
        for commit in event.commits:
            paths += [*commit.added, *commit.modified]
    unique = list(dict.fromkeys(p for p in paths if is_contract_file(p, patterns)))
    return unique


async def read_contract_files(
    gh: GitHubClient, event: PushEvent, paths: list[str], settings: GitHubSettings
) -> tuple[dict[str, str], list[Rejection]]:
    owner, name = event.repository.owner.login, event.repository.name
    texts: dict[str, str] = {}
    problems: list[Rejection] = []
    for path in paths:
        try:
            text = await gh.file_text(
                owner, name, path, event.after, max_bytes=settings.github_max_file_bytes
            )
        except FileUnavailableError as exc:
            problems.append(Rejection(path, None, None, exc.message))
            continue
        if text is not None:  # removed again by a later commit of the push
            texts[path] = text
    return texts, problems


async def sync_contracts(
    session: AsyncSession, event: PushEvent, texts: dict[str, str], outcome: PushOutcome
) -> None:
    """Upsert every contract of ``texts``; each in its own savepoint so one refusal does not
    undo the others."""
    for path, text in texts.items():
        outcome.files.append(path)
        parsed = parse_contract_file(text, path)
        for invalid in parsed.invalid:
            outcome.rejected.append(
                Rejection(
                    path,
                    invalid.name,
                    None,
                    f"invalid contract (line {invalid.line}): {invalid.message}",
                )
            )
        for item in parsed.contracts:
            await _sync_one(session, event, path, item.contract, outcome)


async def _sync_one(
    session: AsyncSession,
    event: PushEvent,
    path: str,
    contract: ContractDefinition,
    outcome: PushOutcome,
) -> None:
    try:
        async with session.begin_nested():
            result = await ContractService.upsert(session, contract, event.actor)
    except DataPactError as exc:
        changes = exc.extra.get("changes") or []
        fields = sorted(
            {str(c["field"]) for c in changes if isinstance(c, dict) and c.get("field")}
        )
        outcome.rejected.append(
            Rejection(path, contract.name, contract.version, exc.detail, fields)
        )
        return
    if result.created:
        outcome.created.append(contract.name)
    elif result.report is not None:
        outcome.updated.append(contract.name)
    else:
        outcome.unchanged.append(contract.name)


def alert_rejections(
    session: AsyncSession, event: PushEvent, outcome: PushOutcome, contract_ids: dict[str, str]
) -> None:
    for rejection in outcome.rejected:
        name = rejection.contract or f"{event.repository.full_name}:{rejection.path}"
        enqueue(
            session,
            sync_rejected_event(
                name[:255],
                rejection.version,
                rejection.reason,
                contract_id=contract_ids.get(name),
                fields=rejection.fields,
                repository=event.repository.full_name,
                sha=event.after,
                path=rejection.path,
                pusher=event.actor,
            ),
        )
