"""A new draft merged into a contract a person has already edited (``datapact init --update``).

What the database states is taken from the new draft: each column's type, physical type,
nullability, keys and references. What people write is kept from the existing contract:
descriptions, constraints (a new kind the database now declares is added), ``is_pii`` and
``classification``, every top-level section (version, publisher, SLAs, subscribers, tags,
access, metadata). New columns are added at the end. A column gone from the database stays
in the contract, with a review line saying so: removing a field is a breaking change that a
person publishes, never a side effect of re-reading a schema.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from datapact_common.drafting.generate import REVIEW_KEY

# What the database states about a column; everything else in a field is a person's.
FROM_DATABASE = (
    "data_type", "physical_type", "nullable", "is_primary_key", "unique", "is_foreign_key",
    "foreign_key_reference",
)  # fmt: skip


@dataclass
class Merge:
    document: dict[str, Any]
    added: list[str] = field(default_factory=list)  # new columns
    gone: list[str] = field(default_factory=list)  # columns no longer in the database
    changed: list[str] = field(default_factory=list)  # "email: nullable true -> false"
    rewritten: bool = False  # the document differs from the existing one


def gone_review(column: str) -> str:
    return (
        f"{column}: no longer in the database; delete the field to publish its removal "
        "(a breaking change), or keep it if the column comes back"
    )


def merge_draft(existing: dict[str, Any], draft: dict[str, Any]) -> Merge:
    document = copy.deepcopy(existing)
    result = Merge(document)
    drafted = {f["name"]: f for f in draft.get("schema", []) if isinstance(f, dict)}
    listed = document.get("schema")
    fields: list[Any] = listed if isinstance(listed, list) else []
    document["schema"] = fields
    kept: set[str] = set()
    reviews = _reviews(document)
    for current in fields:
        if not isinstance(current, dict) or "name" not in current:
            continue
        name = str(current["name"])
        kept.add(name)
        new = drafted.get(name)
        if new is None:
            result.gone.append(name)
            if gone_review(name) not in reviews:
                reviews.append(gone_review(name))
            continue
        _take_database_facts(current, new, result.changed)
        _add_new_constraints(current, new, result.changed)
        if not current.get("description") and new.get("description"):
            current["description"] = new["description"]
            result.changed.append(f"{name}: description taken from the database comment")
    draft_reviews = draft.get("metadata", {}).get(REVIEW_KEY, [])
    for name, new in drafted.items():
        if name in kept:
            continue
        fields.append(copy.deepcopy(new))
        result.added.append(name)
        reviews.extend(r for r in draft_reviews if r.startswith(f"{name}:") and r not in reviews)
    if reviews:
        metadata = document.setdefault("metadata", {})
        if isinstance(metadata, dict):
            metadata[REVIEW_KEY] = reviews
    result.rewritten = document != existing
    return result


def _reviews(document: dict[str, Any]) -> list[str]:
    metadata = document.get("metadata")
    listed = metadata.get(REVIEW_KEY) if isinstance(metadata, dict) else None
    if isinstance(listed, str):
        return [listed]
    return [str(item) for item in listed] if isinstance(listed, list) else []


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _take_database_facts(current: dict[str, Any], new: dict[str, Any], changed: list[str]) -> None:
    defaults = {"nullable": True, "is_primary_key": False, "unique": False, "is_foreign_key": False}
    for key in FROM_DATABASE:
        before = current.get(key, defaults.get(key))
        after = new.get(key, defaults.get(key))
        if before == after:
            continue
        if key in new:
            current[key] = new[key]
        else:
            current.pop(key, None)
        changed.append(f"{current['name']}: {key} {_shown(before)} -> {_shown(after)}")


def _add_new_constraints(current: dict[str, Any], new: dict[str, Any], changed: list[str]) -> None:
    """Constraints of a kind the field does not have yet (the person's own win)."""
    mine = current.get("constraints")
    mine = mine if isinstance(mine, list) else []
    kinds = {c.get("type") for c in mine if isinstance(c, dict)}
    added = [c for c in new.get("constraints", []) if c.get("type") not in kinds]
    if added:
        current["constraints"] = [*mine, *copy.deepcopy(added)]
        shown = ", ".join(str(c["type"]) for c in added)
        changed.append(f"{current['name']}: constraint(s) {shown} added from the database")
