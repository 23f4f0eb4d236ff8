"""The pull request check: files → static deltas → verdict against the registry → GitHub.

No database is touched for the analysis; the registry is read once, briefly. The events the
verdict produces are returned for the caller to write through the outbox together with the
delivery's final status (one transaction).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contract_service.database import unit_of_work
from contract_service.github import repository as repo
from contract_service.github.auto_propose import open_proposals, proposer
from contract_service.github.client import FileUnavailableError, GitHubClient
from contract_service.github.config import GitHubSettings
from contract_service.github.errors import GitHubError
from contract_service.github.events import pr_events
from contract_service.github.proposal_state import proposal_notes
from contract_service.github.publishing import start_reporter, upsert_comment
from contract_service.github.reporting import PullRequestContext, build_report
from contract_service.github.schemas import PullRequestEvent
from datapact_common.analysis.changes import FileProblem
from datapact_common.analysis.contract_files import ContractDelta
from datapact_common.analysis.patterns import is_contract_file, is_schema_file
from datapact_common.analysis.pr_delta import ChangedFile, analyse
from datapact_common.analysis.verdict import Verdict, judge, tables_concerned
from datapact_common.events import EventEnvelope, EventType, PullRequestInfo
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)


@dataclass
class PrCheckOutcome:
    conclusion: str
    title: str
    findings: int
    events: list[EventEnvelope] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "conclusion": self.conclusion,
            "title": self.title,
            "findings": self.findings,
            "events": [str(e.type) for e in self.events],
        }


@dataclass
class FetchedFiles:
    schema: list[ChangedFile] = field(default_factory=list)
    contracts: list[ChangedFile] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


async def fetch_changed_files(
    gh: GitHubClient,
    owner: str,
    name: str,
    entries: list[dict[str, Any]],
    *,
    base_sha: str,
    head_sha: str,
    settings: GitHubSettings,
) -> FetchedFiles:
    """Texts at base and head of every schema/contract file of the PR, a few at a time."""
    fetched = FetchedFiles()
    limit = asyncio.Semaphore(settings.github_fetch_concurrency)

    async def text(path: str, ref: str) -> str | None:
        async with limit:
            return await gh.file_text(
                owner, name, path, ref, max_bytes=settings.github_max_file_bytes
            )

    async def one(entry: dict[str, Any]) -> tuple[ChangedFile | None, FileProblem | None]:
        path = str(entry["filename"])
        status = str(entry.get("status") or "modified")
        previous = entry.get("previous_filename")
        base_path = str(previous) if previous else path
        try:
            base_text = None if status == "added" else await text(base_path, base_sha)
            head_text = None if status == "removed" else await text(path, head_sha)
        except FileUnavailableError as exc:
            return None, FileProblem(path, 1, f"not checked: {exc.message}")
        return ChangedFile(
            path, status, base_text, head_text, base_path if previous else None
        ), None

    schema_entries = [
        e for e in entries if is_schema_file(str(e["filename"]), settings.github_schema_patterns)
    ]
    contract_entries = [
        e
        for e in entries
        if is_contract_file(str(e["filename"]), settings.github_contract_patterns)
    ]
    results = await asyncio.gather(*(one(e) for e in schema_entries + contract_entries))
    for index, (changed, problem) in enumerate(results):
        if problem is not None:
            fetched.problems.append(problem)
        elif changed is not None:
            (fetched.schema if index < len(schema_entries) else fetched.contracts).append(changed)
    return fetched


async def check_pull_request(
    sessionmaker: async_sessionmaker[AsyncSession],
    gh: GitHubClient,
    event: PullRequestEvent,
    settings: GitHubSettings,
    *,
    delivery_id: str,
    attempt: int,
) -> PrCheckOutcome:
    owner, name = event.repository.owner.login, event.repository.name
    pr = event.pull_request
    clock = _Clock()
    reporter = await start_reporter(
        gh, owner, name, pr.head.sha, settings.github_check_name,
        external_id=delivery_id, reuse_running=attempt > 1,
    )  # fmt: skip
    try:
        clock.lap("check run opened")
        entries = await gh.pull_request_files(
            owner, name, pr.number, limit=settings.github_max_files
        )
        fetched = await fetch_changed_files(
            gh, owner, name, entries, base_sha=pr.base.sha, head_sha=pr.head.sha, settings=settings
        )
        if len(entries) >= settings.github_max_files:
            fetched.problems.append(
                FileProblem(entries[-1]["filename"], 1,
                            f"only the first {len(entries)} changed files were checked")
            )  # fmt: skip
        clock.lap("files read")
        schema, contracts = analyse(
            fetched.schema, fetched.contracts, fetched.problems,
            dialect=settings.github_sql_dialect,
        )  # fmt: skip
        clock.lap("analysed")
        names = {c.name for c in contracts.changes}
        async with unit_of_work(sessionmaker) as session:
            registry = await repo.registry_for(session, names, tables_concerned(schema))
            proposed_by = proposer(event.repository.full_name, pr.number)
            proposed = await open_proposals(session, registry, contracts, proposed_by, utcnow())
            notes = await proposal_notes(session, registry, contracts, utcnow())
            if notes:  # checked again when a team answers (docs/workflow.md)
                await repo.record_proposal_checks(
                    session,
                    sorted({contract_id for contract_id, _ in notes}),
                    event.repository.full_name,
                    pr.number,
                    delivery_id,
                )
        verdict = judge(schema, contracts, registry, unchecked=settings.github_unchecked_conclusion)
        clock.lap("judged")
        context = PullRequestContext(
            repository=event.repository.full_name,
            number=pr.number,
            head_sha=pr.head.sha,
            html_url=pr.html_url,
            check_run_url=reporter.url,
            schema_files=[f.path for f in fetched.schema],
            contract_files=[f.path for f in fetched.contracts],
        )
        report = build_report(
            verdict, context, settings.github_check_name, proposals=[line for _, line in notes]
        )
        await reporter.finish(report)
        clock.lap("check run completed")
        relevant = bool(context.schema_files or context.contract_files or verdict.findings)
        await upsert_comment(gh, owner, name, pr.number, report.comment, create=relevant)
        clock.lap("comment")
        logger.info(
            "PR check %s#%s@%s: %s, %d file(s), %d finding(s); %s",
            event.repository.full_name, pr.number, pr.head.sha[:12], report.conclusion,
            len(entries), len(verdict.findings), clock,
        )  # fmt: skip
    except GitHubError as exc:
        if not exc.transient:
            await _report_failure(reporter.fail, exc.message)
        raise
    except Exception as exc:
        await _report_failure(reporter.fail, f"internal error ({type(exc).__name__})")
        raise
    return PrCheckOutcome(
        conclusion=report.conclusion,
        title=report.title,
        findings=len(verdict.findings),
        events=[
            e
            for e in _events(verdict, event, registry.ids, reporter.url, contracts)
            # a proposal's own event tells the teams of a change their policy governs
            if not (
                e.type is EventType.BREAKING_CHANGE_PROPOSED
                and e.contract_name in proposed.governed
            )
        ],
    )


class _Clock:
    """Phase timings for the log line of each check."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: list[str] = []

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        self.laps.append(f"{what} {1000 * (now - self.last):.0f} ms")
        self.last = now

    def __str__(self) -> str:
        total = 1000 * (self.last - self.start)
        return ", ".join(self.laps) + f" (total {total:.0f} ms)"


async def _report_failure(fail: Any, message: str) -> None:
    try:
        await fail(message)
    except Exception:  # the original error matters more
        logger.exception("could not mark the check as failed")


def _events(
    verdict: Verdict,
    event: PullRequestEvent,
    contract_ids: dict[str, str],
    check_run_url: str | None,
    contracts: ContractDelta,
) -> list[EventEnvelope]:
    pr = event.pull_request
    info = PullRequestInfo(
        repository=event.repository.full_name,
        number=pr.number,
        url=pr.html_url,
        title=pr.title,
        head_sha=pr.head.sha,
        author=pr.user.login if pr.user else None,
    )
    versions = {c.name: c.head.version for c in contracts.changes if c.head is not None}
    return pr_events(
        verdict,
        info,
        versions=versions,
        contract_ids=contract_ids,
        check_run_url=check_run_url,
        fallback_name=event.repository.full_name,
    )
