"""Contract business rules: create, update under the semver policy, deprecate.

Every function takes the caller's session and only flushes; the caller commits
(the request's session dependency, or ``database.task_session()`` in a Celery
task). ``principal=None`` means a trusted internal caller (e.g. the GitHub
merge-sync); otherwise the token must be allowed to write the publisher's team.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contract_service.contracts import events
from contract_service.contracts import repository as repo
from contract_service.contracts.conditional import matches_version
from contract_service.contracts.models import Contract, serialize_dump
from contract_service.contracts.views import contract_view
from contract_service.outbox.service import enqueue
from contract_service.peers import nudge_dictionary
from contract_service.proposals import gate as proposal_gate
from contract_service.proposals.gate import Override, Publication
from contract_service.subscribers import repository as subscribers_repo
from contract_service.versions import repository as versions_repo
from contract_service.versions.models import ContractVersion
from datapact_common.contract_schema import ContractDefinition, ContractStatus, Subscriber
from datapact_common.db import after_commit
from datapact_common.diff import ChangeReport, diff_contracts
from datapact_common.documents import parse_contract
from datapact_common.exceptions import (
    ConflictError,
    ContractValidationError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
)
from datapact_common.json_safety import ensure_json_safe
from datapact_common.odcs.export import check_exportable
from datapact_common.offload import off_loop
from datapact_common.semver import Bump, SemVer
from datapact_common.timeutil import utcnow
from datapact_common.tokens import Principal, Scope

UNIQUE_VIOLATION = "23505"

logger = logging.getLogger(__name__)


@dataclass
class WriteResult:
    """What a write did. ``document`` is the response body of the contract afterwards."""

    contract: Contract
    created: bool = False
    version_created: bool = False
    report: ChangeReport | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or self.report is not None

    @property
    def document(self) -> dict[str, Any]:
        return contract_view(self.contract)


def as_definition(document: ContractDefinition | Mapping[str, Any]) -> ContractDefinition:
    """Accept a validated document or a parsed mapping (validated here, 422 on problems)."""
    if isinstance(document, ContractDefinition):
        return document
    data = dict(document)
    ensure_json_safe(data)
    return parse_contract(data)


async def definition_of(document: ContractDefinition | Mapping[str, Any]) -> ContractDefinition:
    """:func:`as_definition`, off the event loop when there is validating to do."""
    if isinstance(document, ContractDefinition):
        return document
    return await off_loop(as_definition, document)


def stored_definition(contract: Contract) -> ContractDefinition:
    return ContractDefinition.model_validate(contract.document)


@dataclass
class Prepared:
    """What a write stores, computed off the event loop: a 10,000-field document takes
    tenths of a second to dump, serialize and turn into rows."""

    definition: ContractDefinition
    document: dict[str, Any]
    serialized: str
    fields: list[dict[str, Any]]
    changes: list[dict[str, Any]]


def prepare(
    definition: ContractDefinition,
    contract_id: uuid.UUID,
    now: datetime,
    report: ChangeReport | None = None,
    document: dict[str, Any] | None = None,
) -> Prepared:
    """``document``: ``definition.to_document()``, when the caller has it already."""
    check_exportable(definition)
    document = document if document is not None else definition.to_document()
    return Prepared(
        definition=definition,
        document=document,
        serialized=serialize_dump(document),
        fields=repo.field_rows(contract_id, definition, now),
        changes=dump_changes(report) if report else [],
    )


@dataclass
class Comparison:
    """A stored document against a proposed one; ``prepared`` is None when they are equal."""

    current: ContractDefinition
    report: ChangeReport | None
    prepared: Prepared | None


def compare(
    stored: dict[str, Any], definition: ContractDefinition, contract_id: uuid.UUID, now: datetime
) -> Comparison:
    """Validate the stored document, classify the changes and prepare the write (CPU-bound:
    run with :func:`off_loop`). A document without the ODCS document the contract keeps
    (a DataPact file, the GitHub sync) keeps the stored one. The registered subscribers are
    kept whatever the document lists: subscriptions belong to the subscribing teams
    (docs/interfaces.md)."""
    current = ContractDefinition.model_validate(stored)
    if definition.odcs is None and current.odcs is not None:
        kept = current.odcs.model_dump(mode="json")
        definition = ContractDefinition.model_validate({**definition.to_document(), "odcs": kept})
    definition = _keep_subscribers(definition, current.subscribers)
    document = definition.to_document()
    if document == stored:
        return Comparison(current, None, None)
    report = diff_contracts(current, definition)
    if not report.bump_ok:
        return Comparison(current, report, None)
    return Comparison(current, report, prepare(definition, contract_id, now, report, document))


async def _ensure_identity_free(session: AsyncSession, definition: ContractDefinition) -> None:
    if definition.odcs is None:
        return
    taken = await repo.name_by_odcs_identity(session, definition.odcs.id, definition.odcs.object)
    if taken is not None:
        raise _identity_taken(definition, taken)


async def _check_odcs_identity(
    session: AsyncSession, contract: Contract, definition: ContractDefinition
) -> None:
    """An ODCS identity never changes: a contract stays its document's object. A contract
    without one may take up a document (checked to be no other contract's)."""
    if definition.odcs is None:
        return  # the stored document, if any, is kept
    if contract.odcs_id is None:
        await _ensure_identity_free(session, definition)
        return
    before = (contract.odcs_id, contract.odcs_object)
    after = definition.odcs_identity
    if before != after:
        raise ContractValidationError(
            f"the ODCS identity of '{contract.name}' cannot change (document {before[0]} "
            f"object '{before[1]}' -> document {after[0]} object '{after[1]}')",
            [{"loc": "odcs", "message": "the ODCS identity cannot change", "type": "immutable"}],
        )


def dump_changes(report: ChangeReport) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in report.changes]


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> ChangeReport:
    return diff_contracts(
        ContractDefinition.model_validate(old), ContractDefinition.model_validate(new)
    )


def diff_stored(stored: dict[str, Any], definition: ContractDefinition) -> ChangeReport:
    return diff_contracts(ContractDefinition.model_validate(stored), definition)


def ensure_can_write(principal: Principal | None, team: str) -> None:
    if principal is None or principal.can_write_team(team):
        return
    if not principal.has_scope(Scope.CONTRACTS_WRITE):
        raise PermissionDeniedError("this token lacks the 'contracts:write' scope")
    teams = ", ".join(sorted(principal.teams)) or "no team"
    raise PermissionDeniedError(
        f"contracts of team '{team}' can only be changed by that team or an admin "
        f"(this token is for: {teams})"
    )


async def flush_or_conflict(session: AsyncSession, conflict: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) == UNIQUE_VIOLATION:
            raise ConflictError(conflict) from exc
        raise


def _summary(report: ChangeReport) -> str:
    changes = [c for c in report.changes if c.versioned]
    if not changes:
        return f"version {report.old_version} -> {report.new_version} without document changes"
    breaking = len(report.breaking)
    head = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
    if breaking:
        head += f" ({breaking} breaking)"
    text = head + ": " + "; ".join(c.message for c in changes[:10])
    return text[:1000]


def _keep_subscribers(
    definition: ContractDefinition, subscribers: list[Subscriber]
) -> ContractDefinition:
    """The document with the registered subscribers instead of its own list.

    A field a subscriber uses may be gone in the new version: it is dropped from that
    subscriber's ``fields_used`` (the change itself names the subscriber as affected).
    """
    known = set(definition.field_names)
    kept = []
    for sub in subscribers:
        data = sub.model_dump(mode="json")
        data["fields_used"] = [f for f in sub.fields_used if f in known]
        kept.append(data)
    return ContractDefinition.model_validate({**definition.to_document(), "subscribers": kept})


@dataclass(frozen=True)
class NewContract:
    """A create of ``POST /api/v1/contracts``, prepared off the event loop by
    :func:`prepare_new`: the parameters of the one statement that writes it, and the row its
    response is built from. ``refused``: the document is no contract the registry can store
    (raised after the name checks, as :meth:`ContractService.create` does)."""

    definition: ContractDefinition
    view: repo.View
    args: tuple[Any, ...]
    refused: ContractValidationError | None = None


def prepare_new(
    definition: ContractDefinition, changed_by: str, principal: Principal | None
) -> NewContract:
    """The CPU-bound part of a create (in the worker thread that validated the document):
    the team check (403), the export check, the document's dump and JSON, the statement's
    parameters."""
    ensure_can_write(principal, definition.publisher.team)
    now = utcnow()
    contract_id = uuid.uuid4()
    team = definition.publisher.team
    try:
        check_exportable(definition)
    except ContractValidationError as exc:
        view = repo.View(contract_id, now, now, {}, "", definition.version, team)
        return NewContract(definition, view, (), exc)
    document = definition.to_document()
    serialized = serialize_dump(document)
    args = repo.creation_args(contract_id, definition, document, serialized, changed_by, now)
    view = repo.View(contract_id, now, now, {}, serialized, definition.version, team)
    return NewContract(definition, view, args)


async def _raise_if_taken(definition: ContractDefinition) -> None:
    """The 409s of a name or ODCS identity taken, in :meth:`ContractService.create`'s order."""
    existing = await repo.id_by_name_now(definition.name)
    if existing is not None:
        raise ConflictError(_duplicate(definition), contract_id=str(existing))
    if definition.odcs is not None:
        taken = await repo.name_by_odcs_identity_now(definition.odcs.id, definition.odcs.object)
        if taken is not None:
            raise _identity_taken(definition, taken)


def _duplicate(definition: ContractDefinition) -> str:
    return f"a contract named '{definition.name}' already exists"


def _identity_taken(definition: ContractDefinition, taken: str) -> ConflictError:
    assert definition.odcs is not None
    return ConflictError(
        f"schema object '{definition.odcs.object}' of ODCS document {definition.odcs.id} "
        f"is contract '{taken}' already; import the document to update it"
    )


async def create_new(new: NewContract) -> repo.View:
    """Write a contract prepared by :func:`prepare_new`: one statement, in a transaction of
    its own (not the request's session), then the dictionary nudge. The same rows, errors and
    response row as :meth:`ContractService.create` in a session that then commits; the name
    check is the statement's unique violation (then the names are looked up for the 409)."""
    if new.refused is not None:
        await _raise_if_taken(new.definition)
        raise new.refused
    try:
        await repo.insert_new(new.args)
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) != UNIQUE_VIOLATION:
            raise
        await _raise_if_taken(new.definition)
        raise ConflictError(_duplicate(new.definition)) from exc
    try:
        nudge_dictionary()
    except Exception:  # as an after-commit hook: never an error once committed
        logger.exception("after-commit hook failed")
    return new.view


class ContractService:
    """The contract write path, for the API routes and for Celery tasks alike."""

    @staticmethod
    async def get(session: AsyncSession, contract_id: uuid.UUID) -> Contract:
        contract = await repo.get(session, contract_id)
        if contract is None:
            raise NotFoundError(f"contract {contract_id} not found")
        return contract

    @staticmethod
    async def get_by_name(session: AsyncSession, name: str) -> Contract:
        contract = await repo.get_by_name(session, name)
        if contract is None:
            raise NotFoundError(f"contract '{name}' not found")
        return contract

    @staticmethod
    async def create(
        session: AsyncSession,
        document: ContractDefinition | Mapping[str, Any],
        changed_by: str,
        *,
        principal: Principal | None = None,
    ) -> WriteResult:
        definition = await definition_of(document)
        ensure_can_write(principal, definition.publisher.team)
        duplicate = _duplicate(definition)
        existing = await repo.id_by_name(session, definition.name)
        if existing is not None:
            raise ConflictError(duplicate, contract_id=str(existing))
        await _ensure_identity_free(session, definition)
        now = utcnow()
        contract_id = uuid.uuid4()
        prepared = await off_loop(prepare, definition, contract_id, now)
        contract = Contract(
            id=contract_id,
            **repo.columns_from(definition),
            compliance={},
            created_at=now,
            updated_at=now,
        )
        contract.set_document(prepared.document, prepared.serialized)
        version = ContractVersion(
            contract_id=contract.id,
            version=definition.version,
            contract_snapshot=prepared.document,
            change_summary="created",
            changes=[],
            changed_by=changed_by,
            created_at=now,
        )
        # One flush for the contract and its first version (the unit of work inserts the
        # contract first, by the foreign key): the same rows as two flushes, one cycle less.
        session.add_all((contract, version))
        await flush_or_conflict(session, duplicate)
        await repo.replace_parts(
            session, contract.id, definition, now, fields=prepared.fields, new=True
        )
        await subscribers_repo.replace_all(
            session, contract.id, definition.subscribers, now, new=True
        )
        after_commit(session, nudge_dictionary)
        return WriteResult(contract, created=True, version_created=True)

    @staticmethod
    async def update(
        session: AsyncSession,
        contract_id: uuid.UUID,
        document: ContractDefinition | Mapping[str, Any],
        changed_by: str,
        *,
        principal: Principal | None = None,
        if_match: str | None = None,
        proposal_id: uuid.UUID | None = None,
        override: Override | None = None,
    ) -> WriteResult:
        """Replace the document (docs/design.md §4 semver policy).

        An identical document is a no-op (``report is None``). Otherwise the version must
        rise enough for the classified changes (409 with the change list if not); a new
        version row and a ``contract_updated`` event are written. The registered
        subscribers are kept: a document's ``subscribers`` list is not applied (a notice
        says so when it differs); subscriptions change through the subscriber routes only.
        ``if_match`` (the ``If-Match`` header: the version the caller based its edit on)
        refuses the write with 412 when the contract has moved on since.
        A breaking version of a contract with a ``change_policy`` is published only through
        its proposal, when the policy holds (409 naming who is pending otherwise) or with an
        admin's ``override`` (docs/workflow.md).
        """
        definition = await definition_of(document)
        contract = await repo.lock(session, contract_id)
        if contract is None:
            raise NotFoundError(f"contract {contract_id} not found")
        ensure_can_write(principal, contract.publisher_team)
        await ensure_precondition(session, contract, if_match)
        if definition.publisher.team != contract.publisher_team:
            ensure_can_write(principal, definition.publisher.team)
        if definition.name != contract.name:
            raise ContractValidationError(
                f"the contract name cannot change ('{contract.name}' -> '{definition.name}'); "
                "create a new contract and deprecate this one",
                [{"loc": "name", "message": f"must stay '{contract.name}'", "type": "immutable"}],
            )
        await _check_odcs_identity(session, contract, definition)
        now = utcnow()
        notices = _subscriber_notices(definition, contract.document)
        comparison = await off_loop(compare, contract.document, definition, contract.id, now)
        current, report = comparison.current, comparison.report
        if report is None:
            return WriteResult(contract, notices=notices)
        if comparison.prepared is None:
            raise ConflictError(
                report.violation or "the version bump is too small",
                changes=await off_loop(dump_changes, report),
                required_bump=report.required_bump,
                actual_bump=report.actual_bump,
                current_version=current.version,
                proposed_version=definition.version,
            )
        prepared = comparison.prepared
        definition = prepared.definition
        publication = Publication()
        if definition.version != current.version:
            publication = await proposal_gate.check_publish(
                session,
                contract.id,
                current,
                report,
                now,
                proposal_id=proposal_id,
                override=override,
            )
        await _apply(session, contract, current, prepared, report, changed_by, now)
        if definition.version != current.version:
            await proposal_gate.record_publish(
                session, contract.id, definition.version, publication, changed_by, now
            )
            event = await off_loop(
                events.contract_updated, contract, report, changed_by, _announced(publication)
            )
            enqueue(session, event)
        if (
            definition.status is ContractStatus.DEPRECATED
            and current.status is not ContractStatus.DEPRECATED
        ):
            subscribers = [s.team for s in current.subscribers]
            enqueue(session, events.deprecation_warning(contract, changed_by, None, subscribers))
        await flush_or_conflict(
            session,
            f"version {definition.version} of '{contract.name}' was published concurrently; "
            "fetch the contract and retry",
        )
        return WriteResult(
            contract,
            version_created=definition.version != current.version,
            report=report,
            notices=notices,
        )

    @staticmethod
    async def upsert(
        session: AsyncSession,
        document: ContractDefinition | Mapping[str, Any],
        changed_by: str,
        *,
        principal: Principal | None = None,
    ) -> WriteResult:
        """Create the contract, or update the one with the same name (e.g. sync on merge)."""
        definition = await definition_of(document)
        existing = await repo.id_by_name(session, definition.name)
        if existing is None:
            return await ContractService.create(
                session, definition, changed_by, principal=principal
            )
        return await ContractService.update(
            session, existing, definition, changed_by, principal=principal
        )

    @staticmethod
    async def deprecate(
        session: AsyncSession,
        contract_id: uuid.UUID,
        changed_by: str,
        *,
        principal: Principal | None = None,
        reason: str | None = None,
        if_match: str | None = None,
    ) -> WriteResult:
        """Soft delete: status ``deprecated`` as a new minor version, ``deprecation_warning``.

        Deprecating a deprecated contract changes nothing.
        """
        contract = await repo.lock(session, contract_id)
        if contract is None:
            raise NotFoundError(f"contract {contract_id} not found")
        ensure_can_write(principal, contract.publisher_team)
        await ensure_precondition(session, contract, if_match)
        if contract.status == ContractStatus.DEPRECATED:
            return WriteResult(contract)
        now = utcnow()
        comparison = await off_loop(_deprecation, contract.document, contract.id, now)
        current, report, prepared = comparison.current, comparison.report, comparison.prepared
        assert report is not None and prepared is not None  # the status and version changed
        summary = f"deprecated by {changed_by}" + (f": {reason}" if reason else "")
        await _apply(session, contract, current, prepared, report, changed_by, now, summary)
        await proposal_gate.record_publish(
            session, contract.id, prepared.definition.version, Publication(), changed_by, now
        )
        subscribers = [s.team for s in current.subscribers]
        enqueue(session, events.deprecation_warning(contract, changed_by, reason, subscribers))
        await flush_or_conflict(session, f"'{contract.name}' was changed concurrently; retry")
        return WriteResult(contract, version_created=True, report=report)

    @staticmethod
    async def diff_proposed(
        session: AsyncSession,
        contract_id: uuid.UUID,
        document: ContractDefinition | Mapping[str, Any],
    ) -> ChangeReport:
        """What an update to ``document`` would change (nothing is saved)."""
        definition = await definition_of(document)
        contract = await ContractService.get(session, contract_id)
        if definition.name != contract.name:
            raise ContractValidationError(
                f"the proposed document is for '{definition.name}', not '{contract.name}'",
                [{"loc": "name", "message": f"must be '{contract.name}'", "type": "immutable"}],
            )
        return await off_loop(diff_stored, contract.document, definition)


def _announced(publication: Publication) -> dict[str, Any] | None:
    """What the ``contract_updated`` event says of a publish over the change policy."""
    if not publication.overridden or publication.override is None:
        return None
    assert publication.verdict is not None and publication.proposal is not None
    return {
        "by": publication.override.by,
        "reason": publication.override.reason,
        "proposal_id": str(publication.proposal.id),
        "policy": publication.verdict.summary,
        "pending": publication.verdict.pending,
        "objected": publication.verdict.objected,
    }


async def ensure_precondition(
    session: AsyncSession, contract: Contract, if_match: str | None
) -> None:
    """412, with what changed since, when ``If-Match`` names another version."""
    if if_match is None:
        return
    matched, expected = matches_version(if_match, contract.version)
    if matched:
        return
    changes: list[dict[str, Any]] = []
    snapshot = await versions_repo.get(session, contract.id, expected)
    if snapshot is not None:
        report = await off_loop(diff_documents, snapshot.contract_snapshot, contract.document)
        changes = await off_loop(dump_changes, report)
    raise PreconditionFailedError(
        f"'{contract.name}' is at version {contract.version}, not {expected} (If-Match): it "
        "changed since you read it; fetch it again, apply your edit to it and retry",
        current_version=contract.version,
        expected_version=expected,
        changes=changes,
    )


def _subscriber_notices(definition: ContractDefinition, stored: dict[str, Any]) -> list[str]:
    if "subscribers" not in definition.model_fields_set:
        return []
    sent = sorted(s.team for s in definition.subscribers)
    registered = sorted(str(s.get("team")) for s in stored.get("subscribers") or [])
    if sent == registered:
        return []
    return [
        "the document's subscribers were not applied: subscriptions change only through "
        "/api/v1/contracts/{id}/subscribers (the registered ones are kept)"
    ]


def _deprecation(stored: dict[str, Any], contract_id: uuid.UUID, now: datetime) -> Comparison:
    current = ContractDefinition.model_validate(stored)
    version = str(SemVer.parse(current.version).bumped(Bump.MINOR))
    definition = ContractDefinition.model_validate(
        {**stored, "status": ContractStatus.DEPRECATED.value, "version": version}
    )
    report = diff_contracts(current, definition)
    return Comparison(current, report, prepare(definition, contract_id, now, report))


async def _apply(
    session: AsyncSession,
    contract: Contract,
    current: ContractDefinition,
    prepared: Prepared,
    report: ChangeReport,
    changed_by: str,
    now: datetime,
    summary: str | None = None,
) -> None:
    """Write the prepared document as the contract's current one (and a version if it rose)."""
    definition = prepared.definition
    for column, value in repo.columns_from(definition).items():
        setattr(contract, column, value)
    contract.set_document(prepared.document, prepared.serialized)
    contract.updated_at = now
    await repo.replace_parts(session, contract.id, definition, now, fields=prepared.fields)
    await subscribers_repo.replace_all(session, contract.id, definition.subscribers, now)
    if definition.version != current.version:
        session.add(
            ContractVersion(
                contract_id=contract.id,
                version=definition.version,
                contract_snapshot=prepared.document,
                change_summary=summary or _summary(report),
                changes=prepared.changes,
                changed_by=changed_by,
                created_at=now,
            )
        )
    after_commit(session, nudge_dictionary)
