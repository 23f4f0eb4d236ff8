"""``datapact init --update DIR``: a new draft merged into each contract already in DIR.

The person's edits are kept and the database's facts refreshed (``drafting.merge``); a file
is rewritten only when something changed, through a temporary file renamed over it, as its
own text with the merge's edits placed in it (``drafting.text_merge``): comments stay. What
disappeared from the database is reported and kept, never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import typer

from datapact_cli.init.writing import contract_path, replace, write_new
from datapact_cli.output import info
from datapact_common.documents import parse_contract
from datapact_common.drafting.generate import Draft
from datapact_common.drafting.merge import merge_draft
from datapact_common.drafting.render import render, with_left_out
from datapact_common.drafting.text_merge import merge_into_text
from datapact_common.engines.base import TableInfo
from datapact_common.exceptions import ContractValidationError
from datapact_common.yaml_io import load_yaml_documents


def _existing(path: Path) -> tuple[dict[str, Any], str] | str:
    """The one contract document of ``path`` and its text, or why it cannot be merged into."""
    if path.is_symlink() or not path.is_file():
        return "not a regular file"
    try:
        text = path.read_text(encoding="utf-8")
        documents = load_yaml_documents(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"cannot be read ({str(exc).splitlines()[0][:200] if str(exc) else exc})"
    if len(documents) != 1 or not isinstance(documents[0], dict):
        return "does not hold exactly one contract document"
    document: dict[str, Any] = documents[0]
    return document, text


def update(folder: Path, draft: Draft, source: str) -> bool:
    """Merge ``draft`` into its file (created when missing); False when it could not be."""
    path = contract_path(folder, draft.name)
    text = render(
        draft.document, source=source, table=draft.table, kind=draft.kind, left_out=draft.left_out
    )
    if write_new(path, text):
        typer.echo(f"wrote {path}: {draft.name} (new, {len(draft.document['schema'])} fields)")
        return True
    found = _existing(path)
    if isinstance(found, str):
        info(f"warning: {path} {found}; not updated")
        return False
    existing, original = found
    merged = merge_draft(existing, draft.document)
    if not merged.rewritten:
        typer.echo(f"unchanged {path}: {draft.name}")
        _report_gone(draft.name, merged.gone)
        return True
    try:
        parse_contract(merged.document)
    except ContractValidationError as exc:
        info(f"warning: {path}: the merged contract is not valid ({exc.detail}); not updated")
        return False
    # the person's text kept (comments, order, style), only the merge's edits made in it
    kept = merge_into_text(original, existing, merged.document)
    if kept is not None:
        kept = with_left_out(kept, draft.left_out)
    else:
        info(
            f"note: {path}: the changes could not be placed in the file's own text, so it is "
            "written whole (its comments are not kept)"
        )
        kept = render(
            merged.document,
            source=source,
            table=draft.table,
            kind=draft.kind,
            left_out=draft.left_out,
        )
    replace(path, kept)
    counts = [
        f"{len(items)} {label}"
        for items, label in (
            (merged.added, "new"),
            (merged.changed, "changed"),
            (merged.gone, "no longer in the database"),
        )
        if items
    ]
    typer.echo(f"updated {path}: {draft.name} ({', '.join(counts)})")
    for column in merged.added:
        info(f"  {draft.name}: new column '{column}' added")
    for change in merged.changed:
        info(f"  {draft.name}: {change}")
    _report_gone(draft.name, merged.gone)
    return True


def _report_gone(name: str, columns: list[str]) -> None:
    for column in columns:
        info(
            f"  {name}: column '{column}' is no longer in the database; kept in the file "
            "(delete it to publish the removal)"
        )


def report_vanished(
    folder: Path, handled: Iterable[Draft], tables: Mapping[str, TableInfo]
) -> None:
    """Contracts in ``folder`` whose table the source no longer has: named, kept."""
    done = {contract_path(folder, d.name) for d in handled}
    for path in sorted(folder.glob("*.yaml")):
        found = _existing(path) if path not in done else None
        if not isinstance(found, tuple):
            continue
        existing = found[0]
        table = existing.get("table") or existing.get("name")
        if isinstance(table, str) and table not in tables:
            info(
                f"warning: {path}: table '{table}' is no longer in the database; the contract "
                "is kept (deprecate or delete it to publish the removal)"
            )
