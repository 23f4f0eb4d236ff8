"""Reading contract files (DataPact YAML/JSON streams, ODCS) for the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datapact_cli.errors import CliError
from datapact_cli.output import from_domain_error, info, read_text
from datapact_common.contract_files import load_contract_file
from datapact_common.contract_schema import ContractDefinition
from datapact_common.exceptions import DataPactError
from datapact_common.odcs import is_odcs
from datapact_common.yaml_io import dump_yaml, load_yaml_documents


def load_file(
    path: Path, *, team: str | None = None, owner: str | None = None, quiet: bool = False
) -> list[ContractDefinition]:
    """Every contract in ``path``; ODCS import notes go to stderr unless ``quiet``.

    Errors name the file (``diff`` reads two, ``validate`` several).
    """
    text = read_text(path)  # its errors name the file already
    contracts: list[ContractDefinition] = []
    try:
        documents = load_yaml_documents(text)  # within the registry's bounds, aliases expanded
        for where, part in _parts(text, documents):
            try:
                loaded = load_contract_file(part, team=team, owner=owner)
            except DataPactError as exc:
                error = from_domain_error(exc)
                raise CliError(f"{where}{error.message}", error.code, error.details) from exc
            contracts.extend(loaded.contracts)
            if not quiet:
                for warning in loaded.warnings:
                    info(f"note: {path}: {where}{warning}")
    except CliError as exc:
        raise CliError(f"{path}: {exc.message}", exc.code, exc.details) from exc
    except DataPactError as exc:
        error = from_domain_error(exc)
        raise CliError(f"{path}: {error.message}", error.code, error.details) from exc
    return contracts


def load_file_documents(
    path: Path, *, team: str | None = None, owner: str | None = None, quiet: bool = False
) -> list[tuple[dict[str, Any] | None, list[ContractDefinition]]]:
    """The file document by document: ``(the ODCS document as written, its contracts)`` for
    an ODCS document, ``(None, [contract])`` for a DataPact one. Checked like
    :func:`load_file` (whose notes and errors these are)."""
    contracts = load_file(path, team=team, owner=owner, quiet=quiet)
    documents = load_yaml_documents(read_text(path))
    if len(documents) == 1 and isinstance(documents[0], list) and documents[0]:
        documents = documents[0]
    result: list[tuple[dict[str, Any] | None, list[ContractDefinition]]] = []
    position = 0
    for document in documents:
        if document is None:
            continue
        if is_odcs(document):
            count = len(document.get("schema") or [])
            result.append((document, contracts[position : position + count]))
        else:
            count = 1
            result.append((None, contracts[position : position + 1]))
        position += count
    return result


def _parts(text: str, documents: list[Any]) -> list[tuple[str, str]]:
    """The file as one stream, or - when it is one JSON/YAML list, as `export --format json`
    writes several contracts - each item of the list on its own."""
    if len(documents) != 1 or not isinstance(documents[0], list) or not documents[0]:
        return [("", text)]
    items = documents[0]
    return [(f"item {n} of {len(items)}: ", dump_yaml(item)) for n, item in enumerate(items, 1)]
