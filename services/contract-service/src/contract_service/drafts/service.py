"""Drafting from DDL: who may, and the parse off the event loop.

The drafting modules and sqlglot (about 30 MB resident) are imported by the first draft, in
the parse's thread, not with the app: most processes never draft.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from contract_service.contracts.service import ensure_can_write
from contract_service.drafts.schemas import DraftFromSqlRequest, DraftFromSqlResult, DraftItem
from datapact_common.exceptions import ContractValidationError, PermissionDeniedError
from datapact_common.offload import off_loop
from datapact_common.tokens import Principal, Scope

if TYPE_CHECKING:
    from datapact_common.drafting.from_sql import SqlDrafts

MAX_PROBLEMS_SHOWN = 20
logger = logging.getLogger(__name__)
_READER_ERRORS = (RecursionError, ValueError, AttributeError, KeyError, IndexError, TypeError)


def ensure_can_draft(principal: Principal, team: str | None) -> None:
    """Drafting is for those who may create contracts: a writer (of ``team``, when given)."""
    if team is not None:
        ensure_can_write(principal, team)
    elif not principal.has_scope(Scope.CONTRACTS_WRITE):
        raise PermissionDeniedError("this token lacks the 'contracts:write' scope")


async def draft_from_sql(request: DraftFromSqlRequest, principal: Principal) -> DraftFromSqlResult:
    ensure_can_draft(principal, request.team)
    try:
        found = await off_loop(_drafts, request)
    except Exception as exc:
        from sqlglot.errors import SqlglotError

        from datapact_common.drafting.ddl import UnknownDialectError

        if isinstance(exc, UnknownDialectError):  # the schema lists the dialects; for safety
            raise ContractValidationError(str(exc)) from exc
        if isinstance(exc, (SqlglotError, *_READER_ERRORS)):  # unforeseen input: 422, not 500
            logger.warning("DDL not read: %s: %s", type(exc).__name__, exc)
            raise ContractValidationError(
                f"the SQL could not be read ({type(exc).__name__}); try --from-sql on it"
            ) from exc
        raise
    if not found.drafts:
        shown = "; ".join(found.problems[:MAX_PROBLEMS_SHOWN]) or "the SQL creates no table"
        raise ContractValidationError(f"no contract could be drafted from this SQL: {shown}")
    return DraftFromSqlResult(
        drafts=[
            DraftItem(
                name=item.draft.name,
                table=item.draft.table,
                kind=item.draft.kind,
                document=item.draft.document,
                yaml=item.yaml,
                left_out=item.draft.left_out,
            )
            for item in found.drafts
        ],
        problems=found.problems,
        notes=found.notes,
    )


def _drafts(request: DraftFromSqlRequest) -> SqlDrafts:
    from datapact_common.drafting.from_sql import drafts_from_sql
    from datapact_common.drafting.generate import DraftOptions

    options = DraftOptions(team=request.team, owner=request.owner)
    return drafts_from_sql(
        request.sql, dialect=request.dialect, tables=request.tables, options=options
    )
