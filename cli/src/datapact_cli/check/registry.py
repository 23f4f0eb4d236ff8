"""What the verdict compares with: the registry (``--url``) or the contract files at base."""

from __future__ import annotations

from typing import Any

from datapact_cli.client import RegistryClient
from datapact_cli.errors import CliError, ExitCode
from datapact_common.analysis.changes import same_table
from datapact_common.analysis.contract_files import parse_contract_file
from datapact_common.analysis.verdict import Registry
from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.exceptions import ContractValidationError

PAGE = 500
MAX_PAGES = 200  # 100 000 contracts


def _wanted(contract: ContractDefinition, names: set[str], tables: set[str]) -> bool:
    return contract.name in names or any(same_table(contract.effective_table, t) for t in tables)


def from_base_files(files: list[tuple[str, str]], names: set[str], tables: set[str]) -> Registry:
    """The contracts of the repository at the merge base, as if they were registered."""
    registry = Registry()
    for path, text in files:
        for parsed in parse_contract_file(text, path).contracts:
            contract = parsed.contract
            if _wanted(contract, names, tables) and contract.name not in registry.contracts:
                registry.contracts[contract.name] = contract
                registry.subscribers[contract.name] = list(contract.subscribers)
    return registry


def from_registry(client: RegistryClient, names: set[str], tables: set[str]) -> Registry:
    """The registered contracts named in the change set or describing one of its tables.

    The list API has no table filter, so every contract is read a page at a time (as the
    App's query would match them: the same table rules).
    """
    registry = Registry()
    if not names and not tables:
        return registry
    for page in range(MAX_PAGES):
        body = client.list_page(skip=page * PAGE, limit=PAGE)
        items = body.get("contracts")
        if not isinstance(items, list):
            raise CliError(f"unexpected contract list from {client.url}", ExitCode.SERVER)
        for item in items:
            _add(registry, item, names, tables)
        if len(items) < PAGE:
            return registry
    raise CliError(
        f"the registry at {client.url} holds more than {PAGE * MAX_PAGES} contracts",
        ExitCode.SERVER,
    )


def _add(registry: Registry, item: Any, names: set[str], tables: set[str]) -> None:
    if not isinstance(item, dict):
        return
    try:
        contract = parse_contract(item)
    except ContractValidationError:
        return  # a stored document that no longer validates is not judged against
    if _wanted(contract, names, tables):
        registry.contracts[contract.name] = contract
        registry.ids[contract.name] = str(item.get("id", ""))
