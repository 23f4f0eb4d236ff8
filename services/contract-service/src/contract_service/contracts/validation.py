"""Validating a document without saving it: errors, and warnings worth a second look."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts import repository as repo
from contract_service.contracts.service import diff_stored
from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import parse_contract
from datapact_common.exceptions import ContractValidationError
from datapact_common.offload import off_loop


def _warning(loc: str, message: str, kind: str) -> dict[str, str]:
    return {"loc": loc, "message": message, "type": kind}


def document_warnings(definition: ContractDefinition) -> list[dict[str, str]]:
    """Problems that do not make the document invalid but will bite someone later."""
    warnings: list[dict[str, str]] = []
    for index, field in enumerate(definition.schema_fields):
        if field.is_pii and not (field.description or "").strip():
            warnings.append(
                _warning(
                    f"schema.{index}.description",
                    f"PII field '{field.name}' has no description; say what it holds and why",
                    "pii_without_description",
                )
            )
    if not any(f.is_primary_key for f in definition.schema_fields):
        warnings.append(
            _warning(
                "schema", "no primary key field; uniqueness cannot be checked", "no_primary_key"
            )
        )
    if not definition.quality:
        warnings.append(
            _warning("quality", "no quality SLA (freshness, completeness, ...)", "no_quality_sla")
        )
    if definition.access is None:
        warnings.append(
            _warning(
                "access", "no access endpoint; availability cannot be monitored", "no_access_config"
            )
        )
    return warnings


async def reference_warnings(
    session: AsyncSession, definition: ContractDefinition
) -> list[dict[str, str]]:
    """Foreign keys that point at contracts (or fields) the registry does not know."""
    references = [
        (index, field.name, field.foreign_key_reference)
        for index, field in enumerate(definition.schema_fields)
        if field.foreign_key_reference
    ]
    targets = {ref.split(".", 1)[0] for _, _, ref in references}
    known = await repo.existing_names(session, targets - {definition.name})
    known[definition.name] = definition.field_names
    warnings = []
    for index, name, ref in references:
        contract_name, field_name = ref.split(".", 1)
        loc = f"schema.{index}.foreign_key_reference"
        if contract_name not in known:
            warnings.append(
                _warning(
                    loc,
                    f"field '{name}' references unknown contract '{contract_name}'",
                    "unknown_reference_contract",
                )
            )
        elif field_name not in known[contract_name]:
            warnings.append(
                _warning(
                    loc,
                    f"field '{name}' references '{ref}', but '{contract_name}' has no field "
                    f"'{field_name}'",
                    "unknown_reference_field",
                )
            )
    return warnings


async def registry_warnings(
    session: AsyncSession, definition: ContractDefinition
) -> list[dict[str, str]]:
    """How the document relates to the registered contract of the same name, if any."""
    existing = await repo.get_by_name(session, definition.name)
    if existing is None:
        return []
    report = await off_loop(diff_stored, existing.document, definition)
    if not report.bump_ok:
        return [_warning("version", report.violation or "version bump too small", "version_bump")]
    return [
        _warning(
            "name",
            f"contract '{definition.name}' exists (version {existing.version}); "
            "submit this document with PUT to update it",
            "contract_exists",
        )
    ]


async def validate_document(session: AsyncSession, data: Any) -> dict[str, Any]:
    try:
        definition = await off_loop(parse_contract, data)
    except ContractValidationError as exc:
        return {"valid": False, "errors": exc.errors, "warnings": []}
    warnings = document_warnings(definition)
    warnings += await reference_warnings(session, definition)
    warnings += await registry_warnings(session, definition)
    return {"valid": True, "errors": [], "warnings": warnings}
