"""``datapact init``: contracts drafted from a database, a DDL file or SQLAlchemy models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datapact_cli.errors import CliError, ExitCode
from datapact_cli.init import sources, updating
from datapact_cli.init.writing import contract_path, prepare_folder, replace, write_new
from datapact_cli.output import info
from datapact_cli.state import State
from datapact_common.drafting.generate import Draft, DraftOptions, draft_contracts
from datapact_common.drafting.render import render


def init(
    ctx: typer.Context,
    from_db: Annotated[
        str | None,
        typer.Option(
            "--from-db",
            metavar="URL",
            help="a live database: postgresql://…, mysql://… or mariadb://…, duckdb:///file",
        ),
    ] = None,
    from_sql: Annotated[
        Path | None,
        typer.Option(
            "--from-sql",
            metavar="FILE",
            help="a DDL file (schema.sql, pg_dump --schema-only), read as the PR check reads it",
        ),
    ] = None,
    from_models: Annotated[
        str | None,
        typer.Option(
            "--from-models",
            metavar="MODULE_OR_PATH",
            help="SQLAlchemy models (a file, a folder or a module name), read without running",
        ),
    ] = None,
    dialect: Annotated[
        str,
        typer.Option(help="--from-sql's SQL dialect: postgres, mysql (mariadb) or duckdb"),
    ] = "postgres",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="DIR", help="write one <table>.yaml per table here"),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option(help="the schema to read (default: the database's own default schema)"),
    ] = None,
    table: Annotated[
        list[str] | None,
        typer.Option("--table", "-t", help="only this table (repeat for several)"),
    ] = None,
    team: Annotated[str | None, typer.Option(help="the publishing team")] = None,
    owner: Annotated[str | None, typer.Option(help="the owner (a person)")] = None,
    endpoint_url: Annotated[
        str | None,
        typer.Option(help="access.endpoint_url: where the data agent serving it listens"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="replace existing files (their edits are lost)")
    ] = False,
    update: Annotated[
        Path | None,
        typer.Option(
            "--update",
            metavar="DIR",
            help="merge into the contracts already in DIR: keep their edits, add new "
            "columns, report what disappeared",
        ),
    ] = None,
) -> None:
    """Draft one contract per table: types, keys, constraints, comments, guessed PII.

    Files are never overwritten without --force; --update DIR merges instead, keeping what
    people wrote. Guesses and placeholders are listed under metadata.review (`datapact
    validate` prints them); what a contract cannot say is named in each file's header comment
    and on stderr.
    """
    state: State = ctx.obj
    given = (("--from-db", from_db), ("--from-sql", from_sql), ("--from-models", from_models))
    chosen = [name for name, value in given if value]
    if len(chosen) != 1:
        what = "one source, not " + " and ".join(chosen) if chosen else "a source"
        raise CliError(
            f"name {what}: --from-db URL, --from-sql FILE or --from-models MODULE_OR_PATH",
            ExitCode.USAGE,
        )
    if update is not None and out is not None and update != out:
        raise CliError("--update DIR is the folder written: leave out --out", ExitCode.USAGE)
    if update is not None and force:
        raise CliError("--update merges, --force replaces: choose one", ExitCode.USAGE)
    out = out or update
    if out is None:
        raise CliError("name the folder to write: --out DIR (or --update DIR)", ExitCode.USAGE)
    if (team is not None and not team.strip()) or (owner is not None and not owner.strip()):
        raise CliError("--team and --owner cannot be empty", ExitCode.USAGE)
    if from_sql is not None:
        found = sources.from_sql_file(from_sql, dialect=dialect, schema=schema, tables=table or [])
    elif from_models is not None:
        found = sources.from_models(from_models, schema=schema, tables=table or [])
    else:
        assert from_db is not None
        found = sources.from_database(
            from_db, schema=schema, tables=table or [], timeout=state.timeout
        )
    options = DraftOptions(team=team, owner=owner, endpoint_url=endpoint_url, dialect=found.dialect)
    drafts = draft_contracts(found.tables, found.selection.tables, options)
    for note in found.selection.notes:
        info(f"note: {note}")
    for problem in found.problems + found.selection.problems + drafts.problems:
        info(f"warning: {problem}")
    if not found.selection.tables:
        raise CliError("no table to draft a contract for", ExitCode.NOT_FOUND)
    if not drafts.drafts:
        raise CliError("no contract could be drafted", ExitCode.INVALID)
    folder = prepare_folder(out)
    if update is not None:
        done = sum(updating.update(folder, draft, found.source) for draft in drafts.drafts)
        if not table:
            updating.report_vanished(folder, drafts.drafts, found.tables)
        info(f"{done} contract(s) up to date in {out}")
        if not done:
            raise typer.Exit(int(ExitCode.INVALID))
        return
    written = sum(_write(folder, draft, found.source, force=force) for draft in drafts.drafts)
    skipped = len(drafts.drafts) - written
    info(f"{written} contract(s) written to {out}" + (f", {skipped} not" if skipped else ""))
    if not written:
        raise typer.Exit(int(ExitCode.INVALID))


def _write(folder: Path, draft: Draft, source: str, *, force: bool) -> bool:
    path = contract_path(folder, draft.name)
    text = render(
        draft.document, source=source, table=draft.table, kind=draft.kind, left_out=draft.left_out
    )
    if not write_new(path, text):
        if not force:
            info(f"warning: {path} exists; not overwritten (--force replaces it)")
            return False
        replace(path, text)
    review = len(draft.document.get("metadata", {}).get("review", []))
    details = [f"{len(draft.document['schema'])} fields"]
    if review:
        details.append(f"{review} to review")
    if draft.left_out:
        details.append(f"{len(draft.left_out)} left out")
    typer.echo(f"wrote {path}: {draft.name} ({', '.join(details)})")
    for item in draft.left_out:
        info(f"  left out of {draft.name}: {item}")
    return True
