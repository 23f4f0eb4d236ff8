"""An ODCS document into the registry, schema object by schema object.

A document is keyed by its ``id`` plus each schema object's ``name`` (stored with the
contract). So:

- an object already imported updates its contract, under the semver policy, and keeps that
  contract's name whatever the document would call it now (a document that gains a second
  object names its objects ``<document>_<object>``; the contracts keep theirs);
- a new object is a new contract;
- an object gone from the document is a removed table: breaking, so the document's version
  must be a major release above that contract's, which is then deprecated (its
  subscribers are told);
- a new object whose contract name is taken by another team's contract, or by another
  document's object, is refused with the reason: a document never lands on a contract that
  is not its own. A contract of the same team written in DataPact takes up the document
  (noted).

It is all or nothing: any refusal rolls the whole document back. ``dry_run`` plans and
checks everything and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts import repository as repo
from contract_service.contracts.models import Contract
from contract_service.contracts.service import (
    ContractService,
    compare,
    dump_changes,
    ensure_can_write,
)
from contract_service.odcs.schemas import ImportedObject, OdcsImportResult
from datapact_common.contract_schema import ContractDefinition, ContractStatus
from datapact_common.diff import ChangeReport, removal_report
from datapact_common.exceptions import ConflictError, PermissionDeniedError
from datapact_common.odcs import OdcsImport
from datapact_common.offload import off_loop
from datapact_common.semver import Bump, SemVer
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Principal


@dataclass
class _Step:
    contract: ContractDefinition  # named as the registry knows it
    row: Contract | None  # None: a new contract

    @property
    def object(self) -> str:
        return self.contract.odcs_identity[1]


async def import_document(
    session: AsyncSession,
    read: OdcsImport,
    document_id: str,
    *,
    principal: Principal,
    dry_run: bool,
) -> OdcsImportResult:
    notes = list(read.warnings)
    rows = await repo.for_odcs_document(session, document_id)
    steps = await _match(session, read.contracts, rows, principal, notes)
    present = {step.object for step in steps if step.contract.odcs is not None}
    removed = [
        row
        for row in rows
        if row.odcs_object not in present and row.status != ContractStatus.DEPRECATED
    ]
    version = read.contracts[0].version
    results = [await _write(session, step, principal, dry_run) for step in steps]
    for row in removed:
        results.append(await _remove(session, row, document_id, version, principal, dry_run))
    return OdcsImportResult(
        document_id=document_id, dry_run=dry_run, contracts=results, notes=notes
    )


async def _match(
    session: AsyncSession,
    contracts: list[ContractDefinition],
    rows: list[Contract],
    principal: Principal,
    notes: list[str],
) -> list[_Step]:
    """Each contract of the document with the registry contract it is (or None)."""
    by_object = {row.odcs_object: row for row in rows}
    matched: list[tuple[ContractDefinition, Contract | None]] = []
    for contract in contracts:
        identity = contract.odcs_identity
        row = by_object.get(identity[1]) if contract.odcs is not None else None
        if row is None:
            row = await repo.get_by_name(session, contract.name)
            if row is not None:
                _may_land(contract, row, notes)
        elif not principal.can_write_team(row.publisher_team):
            raise PermissionDeniedError(
                f"schema object '{identity[1]}' of ODCS document {identity[0]} is contract "
                f"'{row.name}' of team '{row.publisher_team}'; this token may not change it"
            )
        matched.append((contract, row))
    # The registry's names win: a contract is never renamed by a later import.
    names = {c.name: row.name for c, row in matched if row is not None and row.name != c.name}
    for contract, row in matched:
        if row is not None and row.name != contract.name:
            notes.append(
                f"schema object '{contract.odcs_identity[1]}' stays contract '{row.name}' "
                f"(the document alone would name it '{contract.name}')"
            )
    return [_Step(await off_loop(_renamed, c, names), row) for c, row in matched]


def _may_land(contract: ContractDefinition, row: Contract, notes: list[str]) -> None:
    """Refuse a new object whose contract name is somebody else's contract."""
    obj = contract.odcs_identity[1]
    if row.odcs_id is not None:
        raise ConflictError(
            f"schema object '{obj}' would become contract '{row.name}', which is schema "
            f"object '{row.odcs_object}' of ODCS document {row.odcs_id}: refused (rename the "
            "object or give the document a name)"
        )
    if row.publisher_team != contract.publisher.team:
        raise ConflictError(
            f"schema object '{obj}' would land on contract '{row.name}' of team "
            f"'{row.publisher_team}', and this document is team "
            f"'{contract.publisher.team}'s: refused (give the document a name, or the object "
            "another one)"
        )
    if contract.odcs is not None:
        notes.append(
            f"schema object '{obj}': contract '{row.name}', written in DataPact, now follows "
            f"ODCS document {contract.odcs_identity[0]}"
        )


def _renamed(contract: ContractDefinition, names: dict[str, str]) -> ContractDefinition:
    """The contract under its registry name, its foreign keys to objects of the same
    document too."""
    if not names:
        return contract
    document = contract.to_document()
    document["name"] = names.get(contract.name, contract.name)
    for field in document["schema"]:
        reference = field.get("foreign_key_reference")
        if reference:
            target, column = reference.split(".", 1)
            field["foreign_key_reference"] = f"{names.get(target, target)}.{column}"
    if "subscribers" not in contract.model_fields_set:
        document.pop("subscribers")
    return ContractDefinition.model_validate(document)


async def _write(
    session: AsyncSession, step: _Step, principal: Principal, dry_run: bool
) -> ImportedObject:
    contract, row = step.contract, step.row
    if row is None:
        if dry_run:
            ensure_can_write(principal, contract.publisher.team)
            contract_id = None
        else:
            created = await ContractService.create(
                session, contract, principal.sub, principal=principal
            )
            contract_id = created.contract.id
        return ImportedObject(
            object=step.object,
            contract=contract.name,
            contract_id=contract_id,
            action="created",
            new_version=contract.version,
        )
    try:
        if dry_run:
            report = await _planned(row, contract, principal)
        else:
            written = await ContractService.update(
                session,
                row.id,
                contract,
                principal.sub,
                principal=principal,
            )
            report = written.report
    except ConflictError as exc:
        detail = f"schema object '{step.object}' ({row.name}): {exc.detail}"
        raise ConflictError(detail, **{"contract": row.name, **exc.extra}) from exc
    return _result(step.object, row, contract.version, report)


async def _planned(
    row: Contract, contract: ContractDefinition, principal: Principal
) -> ChangeReport | None:
    """What an update would change (nothing written); refused as the update would be."""
    ensure_can_write(principal, row.publisher_team)
    # The registered subscribers are kept, as by every update.
    comparison = await off_loop(compare, row.document, contract, row.id, utcnow())
    report = comparison.report
    if report is not None and comparison.prepared is None:
        raise ConflictError(
            report.violation or "the version bump is too small",
            changes=dump_changes(report),
            required_bump=report.required_bump,
            actual_bump=report.actual_bump,
            current_version=report.old_version,
            proposed_version=report.new_version,
        )
    return report


def _result(obj: str, row: Contract, version: str, report: ChangeReport | None) -> ImportedObject:
    return ImportedObject(
        object=obj,
        contract=row.name,
        contract_id=row.id,
        action="unchanged" if report is None or not report.changes else "updated",
        old_version=report.old_version if report else version,
        new_version=version,
        changes=report.changes if report else [],
        required_bump=report.required_bump if report else None,
        actual_bump=report.actual_bump if report else None,
    )


async def _remove(
    session: AsyncSession,
    row: Contract,
    document_id: str,
    version: str,
    principal: Principal,
    dry_run: bool,
) -> ImportedObject:
    """A schema object gone from its document: a removed table, so a major version of the
    document, and the contract is deprecated."""
    ensure_can_write(principal, row.publisher_team)
    stored = await off_loop(ContractDefinition.model_validate, row.document)
    reason = f"schema object '{row.odcs_object}' left ODCS document {document_id}"
    report = removal_report(stored, version, reason)
    if not report.bump_ok:
        raise ConflictError(
            f"schema object '{row.odcs_object}' ({row.name}): {report.violation}",
            contract=row.name,
            changes=dump_changes(report),
            required_bump=report.required_bump,
            actual_bump=report.actual_bump,
            current_version=stored.version,
            proposed_version=version,
        )
    # Deprecation is the contract's own minor version (docs/interfaces.md).
    deprecated = str(SemVer.parse(stored.version).bumped(Bump.MINOR))
    if not dry_run:
        written = await ContractService.deprecate(
            session, row.id, principal.sub, principal=principal, reason=f"{reason} ({version})"
        )
        deprecated = written.contract.version
    return ImportedObject(
        object=str(row.odcs_object),
        contract=row.name,
        contract_id=row.id,
        action="deprecated",
        old_version=stored.version,
        new_version=deprecated,
        changes=report.changes,
        required_bump=report.required_bump,
        actual_bump=report.actual_bump,
    )
