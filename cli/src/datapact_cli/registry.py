"""Commands that talk to the registry: push, pull, export, import."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from datapact_cli.client import ConflictRefused, RegistryClient
from datapact_cli.errors import CliError, ExitCode
from datapact_cli.files import load_file, load_file_documents
from datapact_cli.odcs_import import import_document
from datapact_cli.output import bump_line, change_lines, explain_conflict, fail, info, write_output
from datapact_cli.state import state
from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import diff_contracts
from datapact_common.documents import contracts_to_yaml, parse_contract
from datapact_common.exceptions import ContractValidationError, OdcsError
from datapact_common.odcs import EXPORT_API_VERSION, OdcsVersion, to_odcs_documents
from datapact_common.yaml_io import dump_yaml_documents

DryRun = Annotated[bool, typer.Option("--dry-run", help="show what would change; write nothing")]


class ExportFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"
    ODCS = "odcs"


def push(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="contract files (DataPact or ODCS), or folders: their *.yaml, *.yml, *.json",
            metavar="FILE_OR_DIR...",
        ),
    ],
    dry_run: DryRun = False,
    if_match: Annotated[
        str | None,
        typer.Option(
            "--if-match",
            metavar="VERSION",
            help="the registry version your edit is based on (e.g. the one you pulled); the "
            "push is refused if the contract is at another version now. Default: the version "
            "the push reads just before it writes",
        ),
    ] = None,
) -> None:
    """Create or update every contract in each FILE (a new version under the semver policy).

    A contract's `subscribers` are registered when it is created; afterwards the registry
    keeps the registered ones whatever the file lists (subscriptions change with the
    subscriber routes). An ODCS document is imported by the registry, object by object (see
    `import`).
    """
    paths = contract_files(files)
    if if_match is not None and len(paths) > 1:
        raise CliError(
            "--if-match names the version of one contract: push one file", ExitCode.USAGE
        )
    documents = [document for path in paths for document in load_file_documents(path, quiet=True)]
    _push_all(ctx, documents, dry_run, if_match=if_match)


_CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")


def contract_files(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for its contract files (sorted, not recursive)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix in _CONTRACT_SUFFIXES)
            if not inside:
                raise CliError(f"{path}: no *.yaml, *.yml or *.json file", ExitCode.NOT_FOUND)
            found += [p for p in inside if p.is_file()]
        else:
            found.append(path)
    return found


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="DataPact or ODCS v3 file")],
    team: Annotated[
        str | None, typer.Option(help="publisher team for documents that name none")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="publisher owner to set")] = None,
    dry_run: DryRun = False,
) -> None:
    """Import a DataPact or ODCS file into the registry (one contract per ODCS schema object).

    An ODCS document is keyed by its id and each object's name: an object already imported
    updates its contract (never renamed), a new one is a new contract, one gone from the
    document is a removed table (a major version; the contract is deprecated), and a
    document that would land on another team's contract is refused.
    """
    documents = load_file_documents(file, team=team, owner=owner, quiet=True)
    _push_all(ctx, documents, dry_run, team=team, owner=owner)


def pull(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="contract name")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file to write")] = None,
    version: Annotated[
        str | None, typer.Option(help="an earlier published version (default: current)")
    ] = None,
) -> None:
    """Fetch a contract as YAML (to stdout, or -o FILE)."""
    with state(ctx).client() as client:
        contract = _fetch(client, name, version)
    write_output(contracts_to_yaml([contract]).removeprefix("---\n"), output)


def export(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="contract name in the registry")] = None,
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="yaml, json or odcs (ODCS v3 YAML)")
    ] = ExportFormat.YAML,
    file: Annotated[
        Path | None, typer.Option("--file", help="convert the contracts of a file instead")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file to write")] = None,
    version: Annotated[str | None, typer.Option(help="an earlier published version")] = None,
    odcs_version: Annotated[
        OdcsVersion,
        typer.Option("--odcs-version", help="the ODCS version to write (with --format odcs)"),
    ] = EXPORT_API_VERSION,
) -> None:
    """Export a registry contract (or the contracts of --file) as YAML, JSON or ODCS.

    Contracts imported from one ODCS document are written back as that document.
    """
    if (name is None) == (file is None):
        raise CliError("give a contract NAME or --file FILE (one of them)", ExitCode.USAGE)
    if file is not None:
        contracts = load_file(file)
    else:
        assert name is not None
        with state(ctx).client() as client:
            contracts = [_fetch(client, name, version)]
    write_output(render(contracts, output_format, str(odcs_version)), output)


def render(
    contracts: list[ContractDefinition],
    output_format: ExportFormat,
    odcs_version: str = EXPORT_API_VERSION,
) -> str:
    if output_format is ExportFormat.JSON:
        documents: Any = [c.to_document() for c in contracts]
        return json.dumps(documents[0] if len(documents) == 1 else documents, indent=2) + "\n"
    if output_format is ExportFormat.ODCS:
        try:
            return _stream(to_odcs_documents(contracts, api_version=odcs_version))
        except OdcsError as exc:
            raise CliError(exc.detail, ExitCode.INVALID, exc.errors[:10]) from exc
    return _stream([c.to_document(exclude_defaults=True) for c in contracts])


def _stream(documents: list[dict[str, Any]]) -> str:
    text = dump_yaml_documents(documents)
    return text.removeprefix("---\n") if len(documents) == 1 else text


def _fetch(client: RegistryClient, name: str, version: str | None) -> ContractDefinition:
    current = client.get_by_name(name)
    if current is None:
        raise CliError(
            f"contract '{name}' not found in the registry at {client.url}", ExitCode.NOT_FOUND
        )
    if version is None or version == current.get("version"):
        return _stored(client, current)
    try:
        return _stored(client, client.get_version(str(current.get("id")), version))
    except CliError as exc:
        if exc.code is ExitCode.NOT_FOUND:
            raise CliError(
                f"contract '{name}' has no version {version}", ExitCode.NOT_FOUND
            ) from exc
        raise


def _stored(client: RegistryClient, document: dict[str, Any]) -> ContractDefinition:
    """A document the registry sent, read-only server fields dropped."""
    try:
        return parse_contract(document)
    except ContractValidationError as exc:
        raise CliError(
            f"the registry at {client.url} sent a document that is not a valid contract "
            "(is --url pointing at the contract-service?)",
            ExitCode.SERVER,
            [f"{e['loc']}: {e['message']}" for e in exc.errors[:5]],
        ) from exc


# -- push ------------------------------------------------------------------------------------


def _push_all(
    ctx: typer.Context,
    documents: list[tuple[dict[str, Any] | None, list[ContractDefinition]]],
    dry_run: bool,
    *,
    team: str | None = None,
    owner: str | None = None,
    if_match: str | None = None,
) -> None:
    worst = ExitCode.OK
    with state(ctx).client() as client:
        for odcs, contracts in documents:
            if odcs is not None:
                code = import_document(client, odcs, team=team, owner=owner, dry_run=dry_run)
                worst = max(worst, code)
                continue
            for contract in contracts:
                worst = max(worst, _push_one(client, contract, dry_run, if_match))
    if worst:
        raise typer.Exit(int(worst))


def _push_one(
    client: RegistryClient, contract: ContractDefinition, dry_run: bool, if_match: str | None
) -> ExitCode:
    label = f"{contract.name} {contract.version}"
    current = client.get_by_name(contract.name)
    if current is None:
        if dry_run:
            typer.echo(f"would create {label}")
            return ExitCode.OK
        try:
            created = client.create(contract)
        except ConflictRefused as exc:
            fail(CliError(f"{contract.name}: {exc.message}"))
            return ExitCode.INVALID
        typer.echo(f"created {label} (id {created.get('id')})")
        return ExitCode.OK
    stored = _stored(client, current)
    if "subscribers" in contract.model_fields_set and sorted(
        s.team for s in contract.subscribers
    ) != sorted(s.team for s in stored.subscribers):
        info(
            f"note: {contract.name}: the file's subscribers are not applied; the registry keeps "
            "the registered ones (subscriptions change with the subscriber routes)"
        )
    contract = _with_registered_subscribers(contract, stored)
    if contract.odcs is None and stored.odcs is not None:
        # The registry keeps the ODCS document a contract was imported from.
        contract = contract.model_copy(update={"odcs": stored.odcs})
    report = diff_contracts(stored, contract)
    if not report.changes and contract.version == stored.version:
        typer.echo(f"unchanged {label}")
        return ExitCode.OK
    lines = change_lines([c.model_dump(mode="json") for c in report.changes])
    if dry_run:
        typer.echo(f"would update {contract.name} {stored.version} -> {contract.version}:")
        _echo(lines)
        typer.echo(
            bump_line(report.required_bump, report.actual_bump, stored.version, contract.version)
        )
        if not report.bump_ok:
            typer.secho(f"  REFUSED: {report.violation}", fg=typer.colors.RED)
            return ExitCode.INVALID
        return ExitCode.OK
    try:
        client.update(str(current["id"]), contract, if_match or str(current.get("version")))
    except ConflictRefused as exc:
        _report_conflict(contract.name, exc.conflict.body, exc.message)
        return ExitCode.INVALID
    verb = "updated" if report.has_versioned_changes else "updated subscribers of"
    typer.echo(f"{verb} {contract.name} {stored.version} -> {contract.version}:")
    _echo(lines)
    return ExitCode.OK


def _with_registered_subscribers(
    contract: ContractDefinition, stored: ContractDefinition
) -> ContractDefinition:
    """The file's contract with the registry's subscribers, which the registry keeps."""
    document = contract.to_document()
    document["subscribers"] = [s.model_dump(mode="json") for s in stored.subscribers]
    try:
        return parse_contract(document)
    except ContractValidationError as exc:
        raise CliError(
            f"{contract.name}: the registered subscribers do not fit the new document "
            "(a subscriber uses a field it removes); ask them to update their fields_used "
            "first, or publish the field's removal with a major version through the API",
            ExitCode.INVALID,
            [f"{e['loc']}: {e['message']}" for e in exc.errors],
        ) from exc


def _report_conflict(name: str, body: dict[str, Any], detail: str) -> None:
    fail(CliError(f"{name}: {detail}"))
    explain_conflict(body)


def _echo(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line)
