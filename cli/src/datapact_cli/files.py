"""Reading contract files (DataPact YAML/JSON streams, ODCS) for the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datapact_cli.errors import CliError, ExitCode
from datapact_cli.output import from_domain_error, info, read_text
from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import load_contract_file
from datapact_common.exceptions import DataPactError
from datapact_common.yaml_io import load_yaml_documents

# The registry's bounds for one document (contract_service.documents): YAML aliases make a
# small file expand into millions of values ("billion laughs") or into a cycle, which would
# hang `export`/`push` while serializing it. Refuse such a file before using it.
MAX_VALUES = 100_000
MAX_DEPTH = 32


def load_file(
    path: Path, *, team: str | None = None, owner: str | None = None, quiet: bool = False
) -> list[ContractDefinition]:
    """Every contract in ``path``; ODCS import notes go to stderr unless ``quiet``.

    Errors name the file (``diff`` reads two, ``validate`` several).
    """
    text = read_text(path)  # its errors name the file already
    try:
        check_size(load_yaml_documents(text))
        loaded = load_contract_file(text, team=team, owner=owner)
    except CliError as exc:
        raise CliError(f"{path}: {exc.message}", exc.code, exc.details) from exc
    except DataPactError as exc:
        error = from_domain_error(exc)
        raise CliError(f"{path}: {error.message}", error.code, error.details) from exc
    if not quiet:
        for warning in loaded.warnings:
            info(f"note: {path}: {warning}")
    return loaded.contracts


def check_size(documents: list[Any]) -> None:
    """Raise when a document, its YAML aliases expanded, exceeds the registry's bounds."""
    for number, document in enumerate(documents, start=1):
        where = f"document {number} of {len(documents)}: " if len(documents) > 1 else ""
        values = 0
        stack: list[tuple[Any, int]] = [(document, 0)]
        while stack:
            value, depth = stack.pop()
            values += 1
            if values > MAX_VALUES:
                raise CliError(
                    f"{where}document too large: more than {MAX_VALUES} values (YAML aliases "
                    "count each time they are used); the registry refuses it too",
                    ExitCode.INVALID,
                )
            if depth > MAX_DEPTH:
                raise CliError(
                    f"{where}document nested deeper than {MAX_DEPTH} levels (a YAML alias "
                    "that contains itself?)",
                    ExitCode.INVALID,
                )
            if isinstance(value, dict):
                stack.extend((item, depth + 1) for item in value.values())
            elif isinstance(value, list):
                stack.extend((item, depth + 1) for item in value)
