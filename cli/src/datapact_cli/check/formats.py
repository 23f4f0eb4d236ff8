"""The verdict as text, JSON, Markdown, SARIF 2.1.0 or JUnit XML."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from xml.etree import ElementTree

import typer

from datapact_cli import __version__
from datapact_cli.check.report import CHECK_NAME, CheckRun
from datapact_common.analysis import summary
from datapact_common.analysis.verdict import Category, Finding, Level

INFORMATION_URI = "https://github.com/datapact/datapact/blob/main/docs/ci.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"


def render(run: CheckRun, output_format: CheckFormat, *, colour: bool = False) -> str:
    renderers: dict[CheckFormat, Callable[[CheckRun], str]] = {
        CheckFormat.JSON: as_json,
        CheckFormat.MARKDOWN: as_markdown,
        CheckFormat.SARIF: as_sarif,
        CheckFormat.JUNIT: as_junit,
    }
    if output_format is CheckFormat.TEXT:
        return as_text(run, colour=colour)
    return renderers[output_format](run)


def headline(run: CheckRun) -> str:
    return f"DataPact check: {run.conclusion} — {run.title}"


# -- text ----------------------------------------------------------------------------------

_COLOURS = {Level.FAILURE: typer.colors.RED, Level.WARNING: typer.colors.YELLOW}


def as_text(run: CheckRun, *, colour: bool = False) -> str:
    verdict = run.verdict
    lines = [
        headline(run),
        f"  base {run.base_ref} ({run.merge_base[:12]} merge base) .. head {run.head_ref} "
        f"({run.head_commit[:12]}); compared with {run.compared_with}",
        f"  {summary.counts(verdict).replace('**', '')}; {len(run.schema_files)} schema "
        f"file(s), {len(run.contract_files)} contract file(s), "
        f"{len(verdict.schema_changes)} schema change(s) read",
    ]
    for finding in verdict.findings:
        label = f"{finding.level.value.upper():<8}"
        if colour:
            label = typer.style(label, fg=_COLOURS.get(finding.level), bold=True)
        where = f"{finding.location.path}:{finding.location.start_line}"
        named = f" [{finding.contract}]" if finding.contract else ""
        lines += ["", f"{label}{where}: {finding.title}{named}", f"        {finding.message}"]
        if finding.subscribers:
            lines.append(f"        affects: {', '.join(finding.subscribers)}")
    for contract in verdict.contracts:
        version = " -> ".join(v for v in (contract.old_version, contract.new_version) if v)
        bump = "ok" if contract.bump_ok else "TOO SMALL"
        lines.append(
            f"\ncontract {contract.name} ({contract.status}) {version}: required bump "
            f"{contract.required_bump or 'none'}, actual {contract.actual_bump or 'none'}, {bump}"
        )
    return "\n".join(lines) + "\n"


# -- json ----------------------------------------------------------------------------------


def _finding(finding: Finding) -> dict[str, Any]:
    where = finding.location
    return {
        "level": finding.level.value,
        "category": finding.category.value,
        "title": finding.title,
        "message": finding.message,
        "path": where.path,
        "start_line": where.start_line,
        "end_line": where.end_line,
        "contract": finding.contract,
        "fields": finding.fields,
        "subscribers": finding.subscribers,
        "breaking": finding.breaking,
        "unchecked": finding.unchecked,
    }


def as_json(run: CheckRun) -> str:
    verdict = run.verdict
    document = {
        "conclusion": run.conclusion,
        "title": run.title,
        "base": {"ref": run.base_ref, "commit": run.base_commit},
        "head": {"ref": run.head_ref, "commit": run.head_commit},
        "merge_base": run.merge_base,
        "compared_with": run.compared_with,
        "counts": {
            "failure": len(verdict.failures),
            "warning": len(verdict.warnings),
            "notice": len([f for f in verdict.findings if f.level is Level.NOTICE]),
            "unchecked": len(verdict.unchecked),
        },
        "files": {"schema": run.schema_files, "contracts": run.contract_files},
        "findings": [_finding(f) for f in verdict.findings],
        "contracts": [
            {
                "name": c.name,
                "path": c.path,
                "status": c.status,
                "old_version": c.old_version,
                "new_version": c.new_version,
                "required_bump": c.required_bump,
                "actual_bump": c.actual_bump,
                "bump_ok": c.bump_ok,
                "breaking": [b.message for b in c.breaking],
            }
            for c in verdict.contracts
        ],
        "schema_changes": [
            {
                "kind": c.kind.value,
                "table": c.table,
                "column": c.column,
                "new_name": c.new_name,
                "path": c.location.path,
                "line": c.location.start_line,
                "description": c.describe(),
            }
            for c in verdict.schema_changes
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- markdown ------------------------------------------------------------------------------


def as_markdown(run: CheckRun) -> str:
    head = summary.HEADLINES[run.conclusion]
    body = summary.body(run.verdict, run.schema_files, run.contract_files, subject="change")
    return (
        f"### {CHECK_NAME}: {head}\n_{summary.cell(run.title)} "
        f"(`{run.merge_base[:7]}..{run.head_commit[:7]}`)_\n\n{body}\n"
    )


# -- SARIF 2.1.0 ---------------------------------------------------------------------------

_RULES: dict[Category, tuple[str, str]] = {
    Category.SCHEMA_NOT_IN_CONTRACT: (
        "SchemaNotInContract", "A schema change that the data contract does not reflect"),
    Category.CONTRACT_WITHOUT_SCHEMA: (
        "ContractWithoutSchema", "A contract change that no schema change explains"),
    Category.VERSION_BUMP: ("VersionBump", "The contract's version bump is too small"),
    Category.BREAKING_CHANGE: ("BreakingChange", "A breaking change to a data contract"),
    Category.INVALID_CONTRACT: ("InvalidContract", "A contract document that is not valid"),
    Category.UNCOVERED_TABLE: ("UncoveredTable", "A changed table no contract describes"),
    Category.NOT_UNDERSTOOD: ("NotChecked", "A part of a schema file the check could not read"),
    Category.INFO: ("Info", "Information about a schema or contract change"),
}  # fmt: skip
_SARIF_LEVELS = {Level.FAILURE: "error", Level.WARNING: "warning", Level.NOTICE: "note"}


def as_sarif(run: CheckRun) -> str:
    categories = list(_RULES)
    rules = [
        {
            "id": category.value,
            "name": _RULES[category][0],
            "shortDescription": {"text": _RULES[category][1]},
            "helpUri": INFORMATION_URI,
        }
        for category in categories
    ]
    results = [
        {
            "ruleId": finding.category.value,
            "ruleIndex": categories.index(finding.category),
            "level": _SARIF_LEVELS[finding.level],
            "message": {"text": f"{finding.title}: {finding.message}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": finding.location.path,
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": finding.location.start_line,
                            "endLine": finding.location.end_line,
                        },
                    }
                }
            ],
            "partialFingerprints": {"datapactFinding/v1": _fingerprint(finding)},
            "properties": {
                "contract": finding.contract,
                "fields": finding.fields,
                "subscribers": finding.subscribers,
                "breaking": finding.breaking,
                "unchecked": finding.unchecked,
            },
        }
        for finding in run.verdict.findings
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": CHECK_NAME,
                        "informationUri": INFORMATION_URI,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": "datapact-check/"},
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "properties": {"conclusion": run.conclusion, "title": run.title},
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _fingerprint(finding: Finding) -> str:
    key = "\0".join(
        (finding.category.value, finding.location.path, finding.title, finding.contract or "")
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# -- JUnit XML -----------------------------------------------------------------------------


def as_junit(run: CheckRun) -> str:
    verdict = run.verdict
    findings = verdict.findings
    failures = [f for f in findings if f.level is Level.FAILURE]
    errors = [f for f in findings if f.unchecked and f.level is not Level.FAILURE]
    cases = len(findings) or 1
    suites = ElementTree.Element(
        "testsuites",
        name=CHECK_NAME,
        tests=str(cases),
        failures=str(len(failures)),
        errors=str(len(errors)),
        time="0",
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=CHECK_NAME,
        tests=str(cases),
        failures=str(len(failures)),
        errors=str(len(errors)),
        skipped="0",
        time="0",
    )
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in (
        ("conclusion", run.conclusion),
        ("merge_base", run.merge_base),
        ("head", run.head_commit),
        ("compared_with", run.compared_with),
    ):
        ElementTree.SubElement(properties, "property", name=name, value=value)
    if not findings:
        ElementTree.SubElement(
            suite, "testcase", classname="datapact.check", name=run.title, time="0"
        )
    for finding in findings:
        where = finding.location
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"datapact.{finding.category.value}",
            name=f"{where.path}:{where.start_line} {finding.title}",
            file=where.path,
            line=str(where.start_line),
            time="0",
        )
        text = finding.message + (
            f"\naffects: {', '.join(finding.subscribers)}" if finding.subscribers else ""
        )
        if finding.level is Level.FAILURE:
            element = ElementTree.SubElement(
                case, "failure", message=finding.title, type=finding.category.value
            )
            element.text = text
        elif finding.unchecked:
            element = ElementTree.SubElement(
                case, "error", message=finding.title, type="not_checked"
            )
            element.text = text
        else:
            ElementTree.SubElement(case, "system-out").text = f"{finding.level.value}: {text}"
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(suites, encoding="unicode")
        + "\n"
    )
