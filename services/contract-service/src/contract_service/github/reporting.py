"""The verdict as GitHub shows it: check run output (Markdown summary + annotations) and the
one PR comment, within GitHub's limits (65535 characters of summary/text, 255 of annotation
title, 64 KB of annotation message, 65536 of comment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from datapact_common.analysis.verdict import Finding, Level, Verdict

COMMENT_MARKER = "<!-- datapact-contract-check -->"
MAX_OUTPUT_CHARS = 65535
MAX_COMMENT_CHARS = 65536
MAX_TITLE_CHARS = 255
MAX_MESSAGE_BYTES = 64 * 1024 - 1
MAX_ANNOTATIONS = 1000
MAX_TABLE_ROWS = 60
TRUNCATED = "\n\n… (truncated: see the annotations for every finding)"

_ICONS = {Level.FAILURE: "❌", Level.WARNING: "⚠️", Level.NOTICE: "🔎"}
NONE = "-"


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


def cell(text: str) -> str:
    """Safe inside a Markdown table cell (no pipes, no raw HTML, one line)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


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


def build_report(verdict: Verdict, context: PullRequestContext, check_name: str) -> CheckReport:
    failures, warnings = verdict.failures, verdict.warnings
    if not context.schema_files and not context.contract_files:
        title = "No schema or contract changes"
    elif failures:
        title = f"Blocked: {len(failures)} contract problem{'s' if len(failures) != 1 else ''}"
    elif verdict.unchecked:
        count = len(verdict.unchecked)
        title = f"Not verified: {count} change{'s' if count != 1 else ''} could not be read"
    elif warnings:
        title = f"Passed with {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    else:
        title = "Passed: contracts match the schema changes"
    body = _body(verdict, context)
    summary = truncate(body, MAX_OUTPUT_CHARS)
    annotations = [annotation(f) for f in verdict.findings[:MAX_ANNOTATIONS]]
    headline = {"failure": "❌ failed", "neutral": "⚪ not verified"}.get(
        verdict.conclusion, "✅ passed"
    )
    link = f" ([details]({context.check_run_url}))" if context.check_run_url else ""
    comment_head = (
        f"{COMMENT_MARKER}\n### {check_name}: {headline}{link}\n"
        f"_Checked {context.head_sha[:7]}: {cell(title)}_\n\n"
    )
    comment = comment_head + truncate(body, MAX_COMMENT_CHARS - len(comment_head) - 10)
    return CheckReport(verdict.conclusion, title, summary, annotations, comment)


def _counts(verdict: Verdict) -> str:
    failures, warnings = len(verdict.failures), len(verdict.warnings)
    notices = len(verdict.findings) - failures - warnings
    return (
        f"**{failures} failure{'s' if failures != 1 else ''}** · {warnings} warning"
        f"{'s' if warnings != 1 else ''} · {notices} notice{'s' if notices != 1 else ''}"
    )


def _body(verdict: Verdict, context: PullRequestContext) -> str:
    lines = [
        _counts(verdict),
        "",
        f"Schema files: {len(context.schema_files)} · contract files: "
        f"{len(context.contract_files)} · schema changes read: {len(verdict.schema_changes)}",
        "",
    ]
    if not context.schema_files and not context.contract_files:
        lines.append("This pull request changes no schema or contract file.")
        return "\n".join(lines)
    for level, heading in ((Level.FAILURE, "Failures"), (Level.WARNING, "Warnings")):
        found = [f for f in verdict.findings if f.level is level]
        if found:
            lines += [f"### {heading}", *_findings_table(found, context), ""]
    if verdict.contracts:
        lines += ["### Contracts in this pull request", *_contracts_table(verdict), ""]
    if verdict.schema_changes:
        lines += ["### Schema changes read", *_schema_table(verdict, context), ""]
    notices = [f for f in verdict.findings if f.level is Level.NOTICE]
    if notices:
        lines += ["### Notices", *_findings_table(notices, context), ""]
    return "\n".join(lines)


def _findings_table(findings: list[Finding], context: PullRequestContext) -> list[str]:
    rows = ["| | Where | Contract | Finding | Subscribers affected |", "|---|---|---|---|---|"]
    for finding in findings[:MAX_TABLE_ROWS]:
        where = finding.location
        link = _link(context, where.path, where.start_line)
        rows.append(
            f"| {_ICONS[finding.level]} | {link} | {cell(finding.contract or NONE)} | "
            f"**{cell(finding.title)}**: {cell(finding.message)} | "
            f"{cell(', '.join(finding.subscribers) or NONE)} |"
        )
    if len(findings) > MAX_TABLE_ROWS:
        rows.append(f"| | | | … and {len(findings) - MAX_TABLE_ROWS} more (see annotations) | |")
    return rows


def _contracts_table(verdict: Verdict) -> list[str]:
    rows = [
        "| Contract | Status | Version | Required bump | Bump | Breaking changes |",
        "|---|---|---|---|---|---|",
    ]
    for summary in verdict.contracts[:MAX_TABLE_ROWS]:
        version = " → ".join(v for v in (summary.old_version, summary.new_version) if v)
        breaking = "; ".join(
            f"{c.message}"
            + (f" ({', '.join(c.affected_subscribers)})" if c.affected_subscribers else "")
            for c in summary.breaking
        )
        rows.append(
            f"| `{cell(summary.name)}` | {cell(summary.status)} | {cell(version)} | "
            f"{cell(summary.required_bump or NONE)} | {'✅' if summary.bump_ok else '❌'} "
            f"{cell(summary.actual_bump or NONE)} | {cell(breaking or NONE)} |"
        )
    return rows


def _schema_table(verdict: Verdict, context: PullRequestContext) -> list[str]:
    rows = ["| Where | Change |", "|---|---|"]
    for change in verdict.schema_changes[:MAX_TABLE_ROWS]:
        where = change.location
        link = _link(context, where.path, where.start_line)
        rows.append(f"| {link} | {cell(change.describe())} |")
    if len(verdict.schema_changes) > MAX_TABLE_ROWS:
        rows.append(f"| | … and {len(verdict.schema_changes) - MAX_TABLE_ROWS} more |")
    return rows


def _link(context: PullRequestContext, path: str, line: int) -> str:
    return f"[`{cell(path)}:{line}`]({context.blob_url(path, line)})"
