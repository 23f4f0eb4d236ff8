"""Load the service's contracts and follow edits to the file.

The file is parsed at startup (a broken file stops the service with the reason) and
again whenever its modification time changes; a broken edit at runtime keeps the last
good contracts and is logged, so a typo never takes the data service down.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import load_contracts
from datapact_common.exceptions import ContractValidationError, DataPactError

logger = logging.getLogger(__name__)


class ContractsFileError(Exception):
    """The contracts file is missing or invalid."""


@dataclass(frozen=True)
class Catalog:
    contracts: tuple[ContractDefinition, ...]

    def get(self, name: str) -> ContractDefinition | None:
        return next((c for c in self.contracts if c.name == name), None)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.contracts]


def read_catalog(path: Path) -> Catalog:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContractsFileError(f"cannot read contracts file {path}: {exc}") from exc
    try:
        contracts = load_contracts(text)
    except ContractValidationError as exc:
        raise ContractsFileError(f"{path}: {exc.detail}") from exc
    except DataPactError as exc:
        raise ContractsFileError(f"{path}: {exc.detail}") from exc
    repeated = sorted(n for n, c in Counter(c.name for c in contracts).items() if c > 1)
    if repeated:
        raise ContractsFileError(f"{path}: contract name(s) appear more than once: {repeated}")
    return Catalog(tuple(contracts))


class ContractStore:
    """The current catalog, re-read when the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._catalog = read_catalog(path)
        self._stamp = self._file_stamp()
        self._lock = asyncio.Lock()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    async def current(self) -> Catalog:
        """The catalog, re-read (off the event loop: a large file takes a while) if it changed."""
        if self._file_stamp() in (None, self._stamp):
            return self._catalog
        async with self._lock:
            stamp = self._file_stamp()
            if stamp is not None and stamp != self._stamp:
                self._stamp = stamp
                try:
                    self._catalog = await asyncio.to_thread(read_catalog, self.path)
                    count = len(self._catalog.contracts)
                    logger.info("reloaded %d contract(s) from %s", count, self.path)
                except ContractsFileError as exc:
                    logger.error("keeping the previous contracts: %s", exc)
        return self._catalog
