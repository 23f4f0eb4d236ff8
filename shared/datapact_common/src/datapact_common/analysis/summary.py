"""The verdict as Markdown: its title and the body the GitHub check run, the PR comment and
``datapact check --format markdown`` all show (tables of failures, warnings, contracts,
schema changes and notices)."""

from __future__ import annotations

from collections.abc import Callable

from datapact_common.analysis.verdict import Finding, Level, Verdict

MAX_TABLE_ROWS = 60
NONE = "-"
ICONS = {Level.FAILURE: "❌", Level.WARNING: "⚠️", Level.NOTICE: "🔎"}
HEADLINES = {"failure": "❌ failed", "neutral": "⚪ not verified", "success": "✅ passed"}

Link = Callable[[str, int], str]  # (path, line) -> Markdown


def plain_link(path: str, line: int) -> str:
    return f"`{cell(path)}:{line}`"


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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def title(verdict: Verdict, *, files_changed: bool) -> str:
    if not files_changed:
        return "No schema or contract changes"
    if verdict.failures:
        return f"Blocked: {_plural(len(verdict.failures), 'contract problem')}"
    if verdict.unchecked:
        return f"Not verified: {_plural(len(verdict.unchecked), 'change')} could not be read"
    if verdict.warnings:
        return f"Passed with {_plural(len(verdict.warnings), 'warning')}"
    return "Passed: contracts match the schema changes"


def counts(verdict: Verdict) -> str:
    failures, warnings = len(verdict.failures), len(verdict.warnings)
    notices = len(verdict.findings) - failures - warnings
    return (
        f"**{_plural(failures, 'failure')}** · {_plural(warnings, 'warning')} · "
        f"{_plural(notices, 'notice')}"
    )


def body(
    verdict: Verdict,
    schema_files: list[str],
    contract_files: list[str],
    link: Link = plain_link,
    *,
    subject: str = "pull request",
) -> str:
    lines = [
        counts(verdict),
        "",
        f"Schema files: {len(schema_files)} · contract files: {len(contract_files)} · "
        f"schema changes read: {len(verdict.schema_changes)}",
        "",
    ]
    if not schema_files and not contract_files:
        lines.append(f"This {subject} changes no schema or contract file.")
        return "\n".join(lines)
    for level, heading in ((Level.FAILURE, "Failures"), (Level.WARNING, "Warnings")):
        found = [f for f in verdict.findings if f.level is level]
        if found:
            lines += [f"### {heading}", *_findings_table(found, link), ""]
    if verdict.contracts:
        lines += [f"### Contracts in this {subject}", *_contracts_table(verdict), ""]
    if verdict.schema_changes:
        lines += ["### Schema changes read", *_schema_table(verdict, link), ""]
    notices = [f for f in verdict.findings if f.level is Level.NOTICE]
    if notices:
        lines += ["### Notices", *_findings_table(notices, link), ""]
    return "\n".join(lines)


def _findings_table(findings: list[Finding], link: Link) -> list[str]:
    rows = ["| | Where | Contract | Finding | Subscribers affected |", "|---|---|---|---|---|"]
    for finding in findings[:MAX_TABLE_ROWS]:
        where = finding.location
        rows.append(
            f"| {ICONS[finding.level]} | {link(where.path, where.start_line)} | "
            f"{cell(finding.contract or NONE)} | "
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


def _schema_table(verdict: Verdict, link: Link) -> list[str]:
    rows = ["| Where | Change |", "|---|---|"]
    for change in verdict.schema_changes[:MAX_TABLE_ROWS]:
        where = change.location
        rows.append(f"| {link(where.path, where.start_line)} | {cell(change.describe())} |")
    if len(verdict.schema_changes) > MAX_TABLE_ROWS:
        rows.append(f"| | … and {len(verdict.schema_changes) - MAX_TABLE_ROWS} more |")
    return rows
