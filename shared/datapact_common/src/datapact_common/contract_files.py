"""Reading a contract file: a YAML/JSON stream of DataPact and ODCS v3 documents.

Apart from ``documents`` because it needs ``odcs``, which itself builds on ``documents``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.exceptions import ContractValidationError, OdcsError
from datapact_common.odcs import is_odcs, read_odcs
from datapact_common.yaml_io import load_yaml_documents


@dataclass
class LoadedContracts:
    """Contracts read from a file, with what an ODCS import ignored or guessed."""

    contracts: list[ContractDefinition]
    warnings: list[str] = field(default_factory=list)


def load_contract_file(
    text: str, *, team: str | None = None, owner: str | None = None
) -> LoadedContracts:
    """Every contract in a YAML/JSON stream whose documents are DataPact or ODCS v3.

    ``team``/``owner`` override the publisher of ODCS documents (foreign ones often name
    none). Errors say which document of the stream is wrong.
    """
    documents = load_yaml_documents(text)
    if not documents:
        raise ContractValidationError("the file holds no contract document")
    loaded = LoadedContracts(contracts=[])
    for number, doc in enumerate(documents, start=1):
        where = f"document {number} of {len(documents)}: " if len(documents) > 1 else ""
        try:
            if is_odcs(doc):
                result = read_odcs(doc, team=team, owner=owner)
                loaded.contracts.extend(result.contracts)
                loaded.warnings.extend(f"{where}{w}" for w in result.warnings)
            else:
                loaded.contracts.append(parse_contract(doc))
        except OdcsError as exc:
            raise OdcsError(f"{where}{exc.detail}", exc.errors) from exc
        except ContractValidationError as exc:
            errors = [{**e, "document": number} for e in exc.errors] if where else exc.errors
            raise ContractValidationError(f"{where}{exc.detail}", errors) from exc
    return loaded
