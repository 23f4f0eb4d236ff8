"""Pushing an ODCS document: the registry imports it object by object (keyed by the
document's id), so the CLI sends the document as written and prints what was done."""

from __future__ import annotations

from typing import Any

import typer

from datapact_cli.client import ConflictRefused, RegistryClient
from datapact_cli.errors import CliError, ExitCode
from datapact_cli.output import change_lines, explain_conflict, fail, info


def import_document(
    client: RegistryClient,
    document: dict[str, Any],
    *,
    team: str | None,
    owner: str | None,
    dry_run: bool,
) -> ExitCode:
    label = f"ODCS document {document.get('id')}"
    try:
        result = client.import_odcs(document, team=team, owner=owner, dry_run=dry_run)
    except ConflictRefused as exc:
        fail(CliError(f"{label}: {exc.message}"))
        explain_conflict(exc.conflict.body)
        return ExitCode.INVALID
    except CliError as exc:
        fail(CliError(f"{label}: {exc.message}", exc.code, exc.details))
        return exc.code
    for note in result.get("notes", []):
        info(f"note: {note}")
    for item in result.get("contracts", []):
        _echo_item(item, dry_run)
    return ExitCode.OK


def _echo_item(item: dict[str, Any], dry_run: bool) -> None:
    contract, action = item.get("contract"), item.get("action")
    old, new = item.get("old_version"), item.get("new_version")
    where = f"(schema object '{item.get('object')}')"
    verb = {"created": "create", "updated": "update", "deprecated": "deprecate"}
    if action == "unchanged":
        typer.echo(f"unchanged {contract} {new} {where}")
        return
    head = f"would {verb[str(action)]}" if dry_run else str(action)
    if action == "created":
        made = "" if dry_run else f", id {item.get('contract_id')}"
        typer.echo(f"{head} {contract} {new} {where}{made}")
        return
    typer.echo(f"{head} {contract} {old} -> {new} {where}:")
    for line in change_lines(item.get("changes") or []):
        typer.echo(line)
