"""Which contract of one set is which contract of another, for the classifier.

Contracts are paired by identity (``ContractDefinition.odcs_identity``): a contract imported
from an ODCS document is its document ``id`` plus schema object name, whatever contract name
the document gives it this time (adding a second object to a document renames what its
objects would be called, never the contracts they are); any other contract is its name.
A schema object that leaves a document still present is a removed table; a document that is
gone altogether is only "removed from the file".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datapact_common.contract_schema import ContractDefinition


@dataclass
class Pairing:
    pairs: list[tuple[ContractDefinition, ContractDefinition]] = field(default_factory=list)
    added: list[ContractDefinition] = field(default_factory=list)
    # (the contract, the version of the document it left)
    removed_objects: list[tuple[ContractDefinition, str]] = field(default_factory=list)
    removed: list[ContractDefinition] = field(default_factory=list)


def pair_contracts(old: list[ContractDefinition], new: list[ContractDefinition]) -> Pairing:
    """Pair ``old`` with ``new`` by identity (linear in the number of contracts)."""
    before = {c.odcs_identity: c for c in old}
    after = {c.odcs_identity: c for c in new}
    document_versions = {c.odcs.id: c.version for c in new if c.odcs is not None}
    result = Pairing()
    for identity, contract in after.items():
        if identity in before:
            result.pairs.append((before[identity], contract))
        else:
            result.added.append(contract)
    for identity, contract in before.items():
        if identity in after:
            continue
        document = contract.odcs.id if contract.odcs is not None else None
        if document is not None and document in document_versions:
            result.removed_objects.append((contract, document_versions[document]))
        else:
            result.removed.append(contract)
    return result
