"""`datapact check`: analyse the schema and contract files changed between the merge base of
``--base`` and ``--head`` with the GitHub App's analysis, and print its verdict."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from datapact_cli.check import registry as lookup
from datapact_cli.check.files import (
    DEFAULT_MAX_FILE_BYTES,
    base_contract_files,
    read_changed_files,
)
from datapact_cli.check.formats import CheckFormat, headline, render
from datapact_cli.check.git import Git
from datapact_cli.check.report import CheckRun
from datapact_cli.client import RegistryClient
from datapact_cli.errors import CliError, ExitCode
from datapact_cli.output import info, write_output
from datapact_cli.state import state
from datapact_cli.urls import checked_url
from datapact_common.analysis.patterns import DEFAULT_CONTRACT_PATTERNS, DEFAULT_SCHEMA_PATTERNS
from datapact_common.analysis.pr_delta import analyse
from datapact_common.analysis.verdict import Registry, Unchecked, judge, tables_concerned

EXIT_BY_CONCLUSION = {
    "success": ExitCode.OK,
    "failure": ExitCode.INVALID,
    "neutral": ExitCode.NEUTRAL,
}


def check(
    ctx: typer.Context,
    base: Annotated[
        str, typer.Option(help="the branch the change goes into (its merge base with HEAD)")
    ] = "origin/main",
    head: Annotated[str, typer.Option(help="the commit to check")] = "HEAD",
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text, json, markdown, sarif or junit")
    ] = CheckFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="write the report here (a summary line to stderr)"),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="compare with this registry (default: the contract files at the merge base; "
            "the global --url or DATAPACT_URL also counts)",
            show_default=False,
        ),
    ] = None,
    unchecked: Annotated[
        Unchecked,
        typer.Option(help="the verdict when a changed part could not be read: neutral or failure"),
    ] = Unchecked.NEUTRAL,
    schema_pattern: Annotated[
        list[str] | None,
        typer.Option(
            "--schema-pattern",
            help="schema file pattern (repeat; default: the App's)",
            show_default=False,
        ),
    ] = None,
    contract_pattern: Annotated[
        list[str] | None,
        typer.Option(
            "--contract-pattern",
            help="contract file pattern (repeat; default: the App's)",
            show_default=False,
        ),
    ] = None,
    dialect: Annotated[str, typer.Option(help="sqlglot dialect of .sql files")] = "postgres",
    max_file_bytes: Annotated[
        int, typer.Option(min=1024, help="larger files are reported as not checked")
    ] = DEFAULT_MAX_FILE_BYTES,
    repository: Annotated[
        Path, typer.Option("--repo", "-C", help="a directory inside the git checkout")
    ] = Path("."),
) -> None:
    """Check the schema and contract changes of this branch, as the GitHub App checks a PR.

    Exit 0 success, 1 failure, 6 neutral (a changed part could not be read), 7 git error;
    2 usage, 4 token refused, 5 registry unreachable (docs/ci.md lists them all).
    """
    git = Git(repository)
    head_commit = git.commit(head)
    base_commit = git.commit(base)
    merge_base = git.merge_base(base_commit, head_commit)
    schema_patterns = schema_pattern or DEFAULT_SCHEMA_PATTERNS
    contract_patterns = contract_pattern or DEFAULT_CONTRACT_PATTERNS
    changes = git.changes(merge_base, head_commit)
    files = read_changed_files(
        git, merge_base, head_commit, changes,
        schema_patterns=schema_patterns, contract_patterns=contract_patterns,
        max_file_bytes=max_file_bytes,
    )  # fmt: skip
    schema, contracts = analyse(files.schema, files.contracts, files.problems, dialect=dialect)
    names = {c.name for c in contracts.changes}
    tables = tables_concerned(schema)
    registry_url = url or _global_url(ctx)
    if registry_url is not None:
        try:
            registry_url = checked_url(registry_url)
        except typer.BadParameter as exc:
            raise CliError(f"--url: {exc.message}", ExitCode.USAGE) from exc
        settings = state(ctx)
        with RegistryClient(registry_url, settings.token, settings.timeout) as client:
            registry = lookup.from_registry(client, names, tables)
        compared_with = f"the registry at {registry_url}"
    else:
        registry = _base_registry(git, merge_base, contract_patterns, max_file_bytes, names, tables)
        compared_with = "the contract files at the merge base"
    verdict = judge(schema, contracts, registry, unchecked=unchecked)
    run = CheckRun(
        verdict=verdict,
        base_ref=base,
        base_commit=base_commit,
        head_ref=head,
        head_commit=head_commit,
        merge_base=merge_base,
        compared_with=compared_with,
        schema_files=[f.path for f in files.schema],
        contract_files=[f.path for f in files.contracts],
    )
    colour = output is None and output_format is CheckFormat.TEXT and sys.stdout.isatty()
    write_output(render(run, output_format, colour=colour), output)
    if output is not None or output_format is not CheckFormat.TEXT:
        info(headline(run))
    code = EXIT_BY_CONCLUSION[run.conclusion]
    if code:
        raise typer.Exit(int(code))


def _global_url(ctx: typer.Context) -> str | None:
    """The global ``--url``/``DATAPACT_URL`` when the user gave one (not its default)."""
    parent = ctx.parent
    source = parent.get_parameter_source("url") if parent is not None else None
    if source is None or source.name == "DEFAULT":
        return None
    return state(ctx).url


def _base_registry(
    git: Git,
    merge_base: str,
    contract_patterns: list[str],
    max_file_bytes: int,
    names: set[str],
    tables: set[str],
) -> Registry:
    if not names and not tables:
        return Registry()
    texts, problems = base_contract_files(git, merge_base, contract_patterns, max_file_bytes)
    for problem in problems:
        info(f"note: {problem.path}: {problem.message}")
    return lookup.from_base_files(texts, names, tables)
