"""Showing the result on GitHub: the check run (or a commit status) and the one PR comment.

The check run is created ``in_progress`` as soon as the work starts; the result goes in with
PATCHes of at most 50 annotations each (GitHub appends them), the last one carrying the
``conclusion`` (required with ``status: completed``). A plain ``GITHUB_TOKEN`` may not create
check runs (GitHub answers 403): then a commit status with the same name is set instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from contract_service.github.client import MAX_ANNOTATIONS_PER_REQUEST, GitHubClient
from contract_service.github.errors import GitHubError
from contract_service.github.reporting import COMMENT_MARKER, CheckReport, truncate
from datapact_common.timeutil import utcnow

logger = logging.getLogger(__name__)

STATUS_DESCRIPTION_CHARS = 140


def _now() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")


class Reporter(Protocol):
    url: str | None

    async def finish(self, report: CheckReport) -> None: ...

    async def fail(self, message: str) -> None: ...


@dataclass
class CheckRunReporter:
    gh: GitHubClient
    owner: str
    repo: str
    check_run_id: int
    url: str | None

    async def finish(self, report: CheckReport) -> None:
        batches = [
            report.annotations[i : i + MAX_ANNOTATIONS_PER_REQUEST]
            for i in range(0, len(report.annotations), MAX_ANNOTATIONS_PER_REQUEST)
        ] or [[]]
        for index, batch in enumerate(batches):
            output: dict[str, Any] = {"title": report.title, "summary": report.summary}
            if batch:
                output["annotations"] = batch
            body: dict[str, Any] = {"output": output}
            if index == len(batches) - 1:
                body.update(status="completed", conclusion=report.conclusion, completed_at=_now())
            await self.gh.update_check_run(self.owner, self.repo, self.check_run_id, body)

    async def fail(self, message: str) -> None:
        await self.gh.update_check_run(
            self.owner,
            self.repo,
            self.check_run_id,
            {
                "status": "completed",
                "conclusion": "failure",
                "completed_at": _now(),
                "output": {
                    "title": "DataPact could not check this pull request",
                    "summary": truncate(message, 65535),
                },
            },
        )


@dataclass
class StatusReporter:
    gh: GitHubClient
    owner: str
    repo: str
    sha: str
    context: str
    url: str | None = None

    async def set(self, state: str, description: str) -> None:
        text = (
            description
            if len(description) <= STATUS_DESCRIPTION_CHARS
            else (description[: STATUS_DESCRIPTION_CHARS - 1] + "…")
        )
        body = {"state": state, "description": text, "context": self.context}
        if self.url:
            body["target_url"] = self.url
        await self.gh.create_commit_status(self.owner, self.repo, self.sha, body)

    async def finish(self, report: CheckReport) -> None:
        await self.set("success" if report.conclusion == "success" else "failure", report.title)

    async def fail(self, message: str) -> None:
        await self.set("error", f"DataPact could not check this pull request: {message}")


async def start_reporter(
    gh: GitHubClient,
    owner: str,
    repo: str,
    head_sha: str,
    name: str,
    *,
    external_id: str,
    reuse_running: bool,
) -> Reporter:
    """Open the check run (``in_progress``) at once; reuse one left by a previous attempt."""
    if reuse_running:
        for run in await gh.check_runs_for_ref(owner, repo, head_sha, name):
            if run.get("status") != "completed" and run.get("external_id") == external_id:
                return CheckRunReporter(gh, owner, repo, int(run["id"]), run.get("html_url"))
    try:
        run = await gh.create_check_run(
            owner,
            repo,
            {
                "name": name,
                "head_sha": head_sha,
                "status": "in_progress",
                "started_at": _now(),
                "external_id": external_id,
                "output": {"title": "Checking contracts…", "summary": "Reading the changes."},
            },
        )
    except GitHubError as exc:
        if exc.status != 403 or gh.credentials.is_app:
            raise
        logger.info("check runs need a GitHub App; using a commit status instead")
        reporter = StatusReporter(gh, owner, repo, head_sha, name)
        await reporter.set("pending", "Checking data contracts…")
        return reporter
    return CheckRunReporter(gh, owner, repo, int(run["id"]), run.get("html_url"))


async def upsert_comment(
    gh: GitHubClient, owner: str, repo: str, number: int, body: str, *, create: bool
) -> dict[str, Any] | None:
    """Update our comment (found by its hidden marker) in place, or create it."""
    for comment in await gh.issue_comments(owner, repo, number):
        if COMMENT_MARKER in str(comment.get("body") or ""):
            if comment.get("body") == body:
                return comment
            return await gh.update_issue_comment(owner, repo, int(comment["id"]), body)
    if not create:
        return None
    return await gh.create_issue_comment(owner, repo, number, body)
