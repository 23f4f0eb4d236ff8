"""Reading contract files (DataPact YAML/JSON streams, ODCS) for the commands."""

from __future__ import annotations

from pathlib import Path

from datapact_cli.output import info, read_text
from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import load_contract_file


def load_file(
    path: Path, *, team: str | None = None, owner: str | None = None, quiet: bool = False
) -> list[ContractDefinition]:
    """Every contract in ``path``; ODCS import notes go to stderr unless ``quiet``."""
    loaded = load_contract_file(read_text(path), team=team, owner=owner)
    if not quiet:
        for warning in loaded.warnings:
            info(f"note: {path}: {warning}")
    return loaded.contracts
