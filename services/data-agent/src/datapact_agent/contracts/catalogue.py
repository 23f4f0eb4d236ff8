"""The contracts the agent serves: files or folders of them, followed as they change.

``--contracts`` names one path, or several separated by commas
(``examples/acme,services/template-data-service/contract.yaml``). A folder is read file by
file (``*.yaml``, ``*.yml``, ``*.json``, sorted by name; each may hold a YAML stream or a
JSON list). At startup a broken file stops the agent with the
reason; later, a broken edit keeps the last good contracts and is logged, so a typo never
takes the agent down.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from datapact_common.cached import cached_attribute
from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import load_contracts
from datapact_common.exceptions import DataPactError

logger = logging.getLogger(__name__)
SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 16 * 1024 * 1024


class ContractsError(Exception):
    """The contracts file or folder is missing or invalid."""


@dataclass(frozen=True)
class Catalogue:
    contracts: tuple[ContractDefinition, ...]
    # contract name -> the table it is measured on (the contract's `table`, or the mapping)
    tables: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> ContractDefinition | None:
        return self.by_name.get(name)

    @cached_attribute
    def by_name(self) -> dict[str, ContractDefinition]:
        return {c.name: c for c in self.contracts}

    @cached_attribute
    def by_table(self) -> dict[str, list[ContractDefinition]]:
        """Table -> the contracts measured on it, in catalogue order."""
        tables: dict[str, list[ContractDefinition]] = {}
        for contract in self.contracts:
            tables.setdefault(self.tables[contract.name], []).append(contract)
        return tables

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.contracts]

    def schemas(self) -> list[str]:
        """The schemas contracts name (``sales.orders``), besides the default one."""
        return sorted({t.rpartition(".")[0] for t in self.tables.values() if "." in t})


def contract_paths(text: str) -> list[Path]:
    """``"a.yaml, contracts/"`` → the paths it names, in order (empty parts ignored)."""
    return [Path(part.strip()) for part in text.split(",") if part.strip()]


def _as_paths(paths: Path | Sequence[Path]) -> list[Path]:
    return [paths] if isinstance(paths, Path) else list(paths)


def contract_files(paths: Path | Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in _as_paths(paths):
        if path.is_dir():
            files += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        else:
            files.append(path)
    return files


def read_catalogue(paths: Path | Sequence[Path], table_map: dict[str, str]) -> Catalogue:
    listed = _as_paths(paths)
    path = ", ".join(str(p) for p in listed)
    if not listed:
        raise ContractsError("no contracts path")
    for folder in listed:
        if folder.is_dir() and not contract_files(folder):
            raise ContractsError(f"no contract files (*.yaml, *.yml, *.json) in {folder}")
    files = contract_files(listed)
    contracts: list[ContractDefinition] = []
    for file in files:
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                raise ContractsError(f"{file}: larger than {MAX_FILE_BYTES} bytes")
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ContractsError(f"cannot read contracts file {file}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ContractsError(f"{file}: not UTF-8 text ({exc.reason})") from exc
        try:
            contracts += load_contracts(text)
        except DataPactError as exc:
            raise ContractsError(f"{file}: {exc.detail}") from exc
    repeated = sorted(n for n, c in Counter(c.name for c in contracts).items() if c > 1)
    if repeated:
        raise ContractsError(f"{path}: contract name(s) appear more than once: {repeated}")
    unknown = sorted(set(table_map) - {c.name for c in contracts})
    if unknown:
        raise ContractsError(f"the table mapping names unknown contract(s): {unknown}")
    tables = {c.name: table_map.get(c.name, c.effective_table) for c in contracts}
    return Catalogue(tuple(contracts), tables)


class ContractStore:
    """The current catalogue, re-read when a file changes (or one is added or removed)."""

    def __init__(self, paths: Path | Sequence[Path], table_map: dict[str, str]) -> None:
        self.paths = _as_paths(paths)
        self.path = ", ".join(str(p) for p in self.paths)
        self.table_map = table_map
        self._catalogue = read_catalogue(self.paths, table_map)
        self._stamp = self._files_stamp()
        self._lock = asyncio.Lock()

    def _files_stamp(self) -> tuple[tuple[str, int, int], ...] | None:
        try:
            return tuple(
                (str(p), (st := os.stat(p)).st_mtime_ns, st.st_size)
                for p in contract_files(self.paths)
            )
        except OSError:
            return None

    async def current(self) -> Catalogue:
        stamp = await asyncio.to_thread(self._files_stamp)
        if stamp in (None, self._stamp):
            return self._catalogue
        async with self._lock:
            stamp = await asyncio.to_thread(self._files_stamp)
            if stamp is not None and stamp != self._stamp:
                self._stamp = stamp
                try:
                    self._catalogue = await asyncio.to_thread(
                        read_catalogue, self.paths, self.table_map
                    )
                    logger.info(
                        "reloaded %d contract(s) from %s", len(self._catalogue.contracts), self.path
                    )
                except ContractsError as exc:
                    logger.error("keeping the previous contracts: %s", exc)
        return self._catalogue
