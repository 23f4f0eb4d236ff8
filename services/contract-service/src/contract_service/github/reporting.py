"""The verdict as GitHub shows it: check run output (Markdown summary + annotations) and the
one PR comment, within GitHub's limits (65535 characters of summary/text, 255 of annotation
title, 64 KB of annotation message, 65536 of comment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from datapact_common.analysis import summary
from datapact_common.analysis.summary import cell
from datapact_common.analysis.verdict import Finding, Verdict

COMMENT_MARKER = "<!-- datapact-contract-check -->"
MAX_OUTPUT_CHARS = 65535
MAX_COMMENT_CHARS = 65536
MAX_TITLE_CHARS = 255
MAX_MESSAGE_BYTES = 64 * 1024 - 1
MAX_ANNOTATIONS = 1000
TRUNCATED = "\n\n… (truncated: see the annotations for every finding)"


@dataclass
class PullRequestContext:
    repository: str  # owner/name
    number: int
    head_sha: str
    html_url: str | None = None
    check_run_url: str | None = None
    schema_files: list[str] = field(default_factory=list)
    contract_files: list[str] = field(default_factory=list)

    def blob_url(self, path: str, line: int) -> str:
        return f"https://github.com/{self.repository}/blob/{self.head_sha}/{path}#L{line}"

    def link(self, path: str, line: int) -> str:
        return f"[`{cell(path)}:{line}`]({self.blob_url(path, line)})"


@dataclass
class CheckReport:
    conclusion: str
    title: str
    summary: str
    annotations: list[dict[str, Any]]
    comment: str


def truncate(text: str, limit: int, suffix: str = TRUNCATED) -> str:
    """At most ``limit`` characters, cut at a line end where possible."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(suffix))]
    newline = cut.rfind("\n")
    if newline >= 0 and newline > len(cut) - 4000:
        cut = cut[:newline]
    return cut + suffix


def truncate_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def annotation(finding: Finding) -> dict[str, Any]:
    where = finding.location
    item: dict[str, Any] = {
        "path": where.path,
        "start_line": where.start_line,
        "end_line": where.end_line,
        "annotation_level": finding.level.value,
        "message": truncate_bytes(finding.message, MAX_MESSAGE_BYTES),
        "title": truncate(finding.title, MAX_TITLE_CHARS, "…"),
    }
    return item


def build_report(
    verdict: Verdict,
    context: PullRequestContext,
    check_name: str,
    *,
    proposals: list[str] | None = None,
) -> CheckReport:
    """``proposals``: a line per contract whose change needs its affected teams' say
    (docs/workflow.md), shown in the summary and the comment."""
    changed = bool(context.schema_files or context.contract_files)
    title = summary.title(verdict, files_changed=changed)
    body = summary.body(verdict, context.schema_files, context.contract_files, context.link)
    if proposals:
        body += "\n\n#### Change proposals\n\n" + "\n".join(f"- {line}" for line in proposals)
    text = truncate(body, MAX_OUTPUT_CHARS)
    annotations = [annotation(f) for f in verdict.findings[:MAX_ANNOTATIONS]]
    headline = summary.HEADLINES[verdict.conclusion]
    link = f" ([details]({context.check_run_url}))" if context.check_run_url else ""
    comment_head = (
        f"{COMMENT_MARKER}\n### {check_name}: {headline}{link}\n"
        f"_Checked {context.head_sha[:7]}: {cell(title)}_\n\n"
    )
    comment = comment_head + truncate(body, MAX_COMMENT_CHARS - len(comment_head) - 10)
    return CheckReport(verdict.conclusion, title, text, annotations, comment)
