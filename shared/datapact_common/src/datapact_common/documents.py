"""Contract documents in and out: parse with readable errors, YAML streams, serialization."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from datapact_common.contract_schema import ContractDefinition
from datapact_common.exceptions import ContractValidationError
from datapact_common.yaml_io import dump_yaml, dump_yaml_documents, load_yaml_documents

# Server-managed keys that may appear in a document fetched from the API; they are
# not part of the contract and are dropped before validation.
READ_ONLY_KEYS = frozenset({"id", "created_at", "updated_at", "compliance"})


def format_validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as ``[{"loc": "schema.1.data_type", "message": "..."}]``."""
    errors: list[dict[str, Any]] = []
    for error in exc.errors(include_url=False):
        loc = ".".join(str(part) for part in error["loc"]) or "(document)"
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if error["type"] == "extra_forbidden":
            message = "unknown field (not part of the contract document)"
        if error["type"] == "string_pattern_mismatch" and error["loc"][-1:] == ("name",):
            message = f"{message} (lower-case letters, digits and _, starting with a letter)"
        errors.append({"loc": loc, "message": message, "type": error["type"]})
    return errors


def parse_contract(data: Any, *, strip_read_only: bool = True) -> ContractDefinition:
    """Validate a parsed document; raises :class:`ContractValidationError` listing every problem."""
    if not isinstance(data, dict):
        raise ContractValidationError(
            "a contract document must be a mapping (YAML object)",
            [{"loc": "(document)", "message": f"got {type(data).__name__}", "type": "type"}],
        )
    if strip_read_only:
        data = {k: v for k, v in data.items() if k not in READ_ONLY_KEYS}
    try:
        return ContractDefinition.model_validate(data)
    except ValidationError as exc:
        errors = format_validation_errors(exc)
        summary = "; ".join(f"{e['loc']}: {e['message']}" for e in errors[:5])
        raise ContractValidationError(f"invalid contract: {summary}", errors) from exc


def load_contracts(text: str) -> list[ContractDefinition]:
    """Every contract in a YAML stream (one or more ``---`` separated documents)."""
    documents = load_yaml_documents(text)
    if not documents:
        raise ContractValidationError("the file holds no contract document")
    if len(documents) == 1:
        return [parse_contract(documents[0])]
    contracts: list[ContractDefinition] = []
    for number, doc in enumerate(documents, start=1):
        try:
            contracts.append(parse_contract(doc))
        except ContractValidationError as exc:
            errors = [{**error, "document": number} for error in exc.errors]
            raise ContractValidationError(
                f"document {number} of {len(documents)}: {exc.detail}", errors
            ) from exc
    return contracts


def contract_to_yaml(contract: ContractDefinition, *, exclude_defaults: bool = True) -> str:
    return dump_yaml(contract.to_document(exclude_defaults=exclude_defaults))


def contracts_to_yaml(contracts: list[ContractDefinition]) -> str:
    return dump_yaml_documents([c.to_document(exclude_defaults=True) for c in contracts])
