"""Contract drafts from DDL text in one call: what ``datapact init --from-sql`` does, for the
contract-service's ``POST /api/v1/drafts/from-sql`` (the dashboard's "start from a DDL
file"). Pure and synchronous: callers on an event loop run it off the loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from datapact_common.drafting.ddl import read_ddl
from datapact_common.drafting.generate import Draft, DraftOptions, draft_contracts
from datapact_common.drafting.render import render
from datapact_common.drafting.select import select_tables


@dataclass
class SqlDraft:
    draft: Draft
    yaml: str  # the file `init` would write, header comment included


@dataclass
class SqlDrafts:
    drafts: list[SqlDraft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read or drafted
    notes: list[str] = field(default_factory=list)


def drafts_from_sql(
    text: str,
    *,
    dialect: str = "postgres",
    tables: Sequence[str] = (),
    schema: str | None = None,
    options: DraftOptions | None = None,
    source: str = "an uploaded DDL file",
) -> SqlDrafts:
    """Raises ``ddl.UnknownDialectError`` for a dialect it does not know."""
    found = read_ddl(text, dialect=dialect, path="the file")
    default = found.default_schema
    scope = None if schema in (None, default) else schema
    label = schema or default or "the default schema"
    selection = select_tables(found.tables, list(tables), schema=scope, schema_label=label)
    settings = options or DraftOptions()
    settings.dialect = found.dialect
    drafted = draft_contracts(found.tables, selection.tables, settings)
    result = SqlDrafts(
        problems=found.problems + selection.problems + drafted.problems, notes=selection.notes
    )
    for draft in drafted.drafts:
        yaml = render(
            draft.document, source=source, table=draft.table, kind=draft.kind,
            left_out=draft.left_out,
        )  # fmt: skip
        result.drafts.append(SqlDraft(draft, yaml))
    return result
