"""Commands that need no registry: validate and diff."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from datapact_cli.errors import CliError, ExitCode
from datapact_cli.files import load_file
from datapact_cli.output import bump_line, change_lines, fail
from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeReport, diff_contracts, removal_report
from datapact_common.drafting.review import review_items
from datapact_common.pairing import pair_contracts


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def validate(
    files: Annotated[
        list[Path], typer.Argument(help="contract files: DataPact YAML/JSON streams or ODCS v3")
    ],
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="also fail (exit 1) while a contract has something left to review"
        ),
    ] = False,
) -> None:
    """Check contract files offline; print every problem with its location.

    What a contract still asks a person to settle (metadata.review, a placeholder publisher
    left by `datapact init`) is listed under it as `review:` lines.
    """
    worst = ExitCode.OK
    for path in files:
        try:
            contracts = load_file(path)
        except CliError as exc:  # names the file
            fail(exc)
            worst = max(worst, exc.code)
            continue
        for contract in contracts:
            typer.echo(
                f"{path}: {contract.name} {contract.version} is valid "
                f"({len(contract.schema_fields)} fields)"
            )
            review = review_items(contract)
            for item in review:
                typer.echo(f"  review: {item}")
            if review and strict:
                worst = max(worst, ExitCode.INVALID)
    if worst:
        raise typer.Exit(int(worst))


def diff(
    old: Annotated[Path, typer.Argument(help="the published contract file (before)")],
    new: Annotated[Path, typer.Argument(help="the proposed contract file (after)")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text or json")
    ] = OutputFormat.TEXT,
) -> None:
    """Classify the changes from OLD to NEW and check the version bump (exit 1 if too small).

    Contracts are paired by name, or for ODCS documents by document id and schema object,
    so both files may hold several. A contract only in NEW is new; one only in OLD is
    reported but not an error, except a schema object gone from a document still in NEW:
    that is a removed table (breaking).
    """
    pairing = pair_contracts(load_file(old, quiet=True), load_file(new, quiet=True))
    reports = [(o.name, diff_contracts(o, n)) for o, n in pairing.pairs]
    reports += [
        (
            c.name,
            removal_report(c, version, f"schema object '{c.odcs_identity[1]}' left the document"),
        )
        for c, version in pairing.removed_objects
    ]
    added = pairing.added
    removed = sorted(c.name for c in pairing.removed)
    ok = all(report.bump_ok for _, report in reports)
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(_diff_json(reports, added, removed, ok), indent=2))
    else:
        _print_diff(reports, added, removed)
    if not ok:
        raise typer.Exit(int(ExitCode.INVALID))


def _diff_json(
    reports: list[tuple[str, ChangeReport]],
    added: list[ContractDefinition],
    removed: list[str],
    ok: bool,
) -> dict[str, Any]:
    return {
        "ok": ok,
        "contracts": [
            {
                "name": name,
                **report.model_dump(mode="json"),
                "highest_severity": report.highest_severity,
                "affected_subscribers": sorted(
                    {s for c in report.changes for s in c.affected_subscribers}
                ),
            }
            for name, report in reports
        ],
        "added": [{"name": c.name, "version": c.version} for c in added],
        "removed": removed,
    }


def _print_diff(
    reports: list[tuple[str, ChangeReport]], added: list[ContractDefinition], removed: list[str]
) -> None:
    for name, report in reports:
        if not report.changes and report.bump_ok:
            typer.echo(f"{name} {report.old_version} -> {report.new_version}: no changes")
            continue
        typer.echo(f"{name} {report.old_version} -> {report.new_version}:")
        for line in change_lines([c.model_dump(mode="json") for c in report.changes]):
            typer.echo(line)
        typer.echo(
            bump_line(
                report.required_bump, report.actual_bump, report.old_version, report.new_version
            )
        )
        if report.bump_ok:
            typer.secho("  OK: the version bump is big enough", fg=typer.colors.GREEN)
        else:
            typer.secho(f"  REFUSED: {report.violation}", fg=typer.colors.RED)
    for contract in added:
        typer.echo(f"{contract.name} {contract.version}: new contract (no earlier version)")
    for name in removed:
        typer.echo(f"{name}: only in the old file (the registry keeps it until deprecated)")
