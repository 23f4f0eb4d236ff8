"""Turn a pull request's changed files (texts at base and head) into schema and contract deltas."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from datapact_common.analysis.alembic_ops import alembic_changes, is_alembic_migration
from datapact_common.analysis.changes import (
    FileProblem,
    SchemaChange,
    SchemaChangeKind,
    SchemaDelta,
    SourceKind,
    table_key,
)
from datapact_common.analysis.contract_files import (
    ContractChange,
    ContractChangeStatus,
    ContractDelta,
    diff_contract_file,
)
from datapact_common.analysis.models_ast import looks_like_models, model_tables
from datapact_common.analysis.sql_ddl import DEFAULT_DIALECT, sql_changes, sql_tables
from datapact_common.analysis.table_model import diff_tables
from datapact_common.diff import diff_contracts


@dataclass(frozen=True)
class ChangedFile:
    path: str
    status: str  # GitHub's: added, removed, modified, renamed, copied, changed, unchanged
    base_text: str | None
    head_text: str | None
    previous_path: str | None = None


def schema_delta(files: list[ChangedFile], *, dialect: str = DEFAULT_DIALECT) -> SchemaDelta:
    delta = SchemaDelta()
    for changed in files:
        delta.extend(_file_delta(changed, dialect))
    delta.changes.sort(key=lambda c: (c.location.path, c.location.start_line))
    return delta


def _file_delta(changed: ChangedFile, dialect: str) -> SchemaDelta:
    delta = SchemaDelta(files=[changed.path])
    path, base, head = changed.path, changed.base_text, changed.head_text
    lower = path.lower()
    if head is None:
        if base is not None and (lower.endswith(".sql") or is_alembic_migration(base)):
            delta.problems.append(
                FileProblem(path, 1, "schema file deleted; its effect is not checked")
            )
        return delta
    if lower.endswith(".py"):
        if is_alembic_migration(head):
            delta.changes, delta.problems = _new_operations(
                alembic_changes(head, path), alembic_changes(base, path) if base else None
            )
        elif looks_like_models(head) or (base is not None and looks_like_models(base)):
            head_tables, head_problems = model_tables(head, path)
            base_tables, base_problems = model_tables(base, path) if base else ({}, [])
            delta.changes = diff_tables(base_tables, head_tables, path, SourceKind.MODELS)
            delta.problems = _changed_problems(head_problems, base_problems)
    elif lower.endswith(".sql"):
        if base is None or _is_migration_script(head, path, dialect):
            delta.changes, delta.problems = _new_operations(
                sql_changes(head, path, dialect=dialect),
                sql_changes(base, path, dialect=dialect) if base else None,
            )
        else:
            head_tables, problems = sql_tables(head, path, dialect=dialect)
            base_tables, base_problems = sql_tables(base, path, dialect=dialect)
            delta.changes = diff_tables(base_tables, head_tables, path, SourceKind.SQL)
            delta.problems = _changed_problems(problems, base_problems)
    return delta


# What a schema file (a pg_dump, a hand-kept schema.sql) declares; anything else is a migration.
_DECLARATIONS = frozenset(
    {
        SchemaChangeKind.TABLE_CREATED,
        SchemaChangeKind.PRIMARY_KEY_ADDED,
        SchemaChangeKind.UNIQUE_ADDED,
        SchemaChangeKind.INDEX_CREATED,
    }
)


def _is_migration_script(text: str, path: str, dialect: str) -> bool:
    """A script that alters or drops (a migration) rather than declaring tables (a schema)."""
    changes, _ = sql_changes(text, path, dialect=dialect)
    return any(c.kind not in _DECLARATIONS for c in changes)


def _changed_problems(head: list[FileProblem], base: list[FileProblem]) -> list[FileProblem]:
    """Problems of a declarative file, each marked whether its unread part changed: a part
    (a statement) that reads the same at base is not checked, but no change is hidden there."""
    seen = [(p.statement, p.message if p.statement is None else "") for p in base]
    result: list[FileProblem] = []
    for problem in head:
        key = (problem.statement, problem.message if problem.statement is None else "")
        if key in seen:
            seen.remove(key)
            problem = replace(problem, unread_change=False)
        result.append(problem)
    return result


def _signature(change: SchemaChange) -> tuple[Any, ...]:
    return (
        change.kind,
        table_key(change.table),
        (change.column or "").lower(),
        (change.new_name or "").lower(),
        change.raw_type,
        change.nullable,
        change.column_spec,
        change.columns,
        change.constraint,
        change.key_columns,
        change.value,
    )


def _new_operations(
    head: tuple[list[SchemaChange], list[FileProblem]],
    base: tuple[list[SchemaChange], list[FileProblem]] | None,
) -> tuple[list[SchemaChange], list[FileProblem]]:
    """Operations of an edited migration that its base revision did not already have."""
    changes, problems = head
    if base is None:
        return changes, problems
    problems = _changed_problems(problems, base[1])
    known = [_signature(c) for c in base[0]]
    fresh: list[SchemaChange] = []
    for change in changes:
        signature = _signature(change)
        if signature in known:
            known.remove(signature)
        else:
            fresh.append(change)
    return fresh, problems


def contract_delta(files: list[ChangedFile]) -> ContractDelta:
    """Every contract of the changed contract files; one moved between files is one change."""
    merged = ContractDelta()
    for changed in files:
        base_text = changed.base_text
        one = diff_contract_file(changed.path, base_text, changed.head_text)
        merged.invalid.extend(one.invalid)
        merged.problems.extend(one.problems)
        merged.changes.extend(one.changes)
    by_name: dict[str, list[ContractChange]] = {}
    for change in merged.changes:
        by_name.setdefault(change.name, []).append(change)
    result: list[ContractChange] = []
    for name, entries in by_name.items():
        added = [e for e in entries if e.status is ContractChangeStatus.ADDED]
        removed = [e for e in entries if e.status is ContractChangeStatus.REMOVED]
        if len(added) == 1 and len(removed) == 1 and len(entries) == 2:
            new, old = added[0], removed[0]
            assert new.head is not None and old.base is not None
            report = diff_contracts(old.base, new.head)
            status = (
                ContractChangeStatus.MODIFIED
                if report.changes or old.base.version != new.head.version
                else ContractChangeStatus.UNCHANGED
            )
            result.append(
                ContractChange(name, new.path, status, old.base, new.head, new.head_lines, report)
            )
            continue
        result.extend(entries)
    merged.changes = result
    return merged


def analyse(
    schema_files: list[ChangedFile],
    contract_files: list[ChangedFile],
    problems: list[FileProblem],
    *,
    dialect: str = DEFAULT_DIALECT,
) -> tuple[SchemaDelta, ContractDelta]:
    """The two deltas of a change set; ``problems`` are files that could not be fetched."""
    schema = schema_delta(schema_files, dialect=dialect)
    schema.problems.extend(problems)
    return schema, contract_delta(contract_files)
