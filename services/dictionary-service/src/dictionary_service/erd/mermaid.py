"""Mermaid ``erDiagram`` text (docs/design.md §10, defect 8).

- Entity names are quoted identifiers (``"orders"``), so names that are Mermaid keywords
  (``end``, ``style``, ``one``, ``to``...) still parse.
- Attribute names are identifiers; ``pk``/``fk``/``uk`` (attribute-key keywords) get a
  trailing ``_``. Types are single words. Comments are double-quoted, on one line.
- Text from contracts (descriptions, labels) can never act on the diagram: Mermaid finds
  ``%%{init: ...}%%`` directives anywhere in the text, quotes or not, and they can change
  the theme or the security level. So ``%`` becomes the fullwidth percent sign U+FF05 (no
  directive and no ``%%`` comment can be written without ``%``), ``"`` becomes ``'`` (no way
  out of the quotes), ``<``/``>`` become the angle quotation marks U+2039/U+203A (no
  markup), and a ``#`` starting an entity code (``#quot;``) the fullwidth number sign
  U+FF03. Names are identifiers already.
- Only foreign keys become relationships, always between two entities. Subscriptions
  (team → dataset) are not entities and appear only in the JSON form.
- A referenced dataset that is not in the registry is drawn as an entity of its own,
  labelled "(not in registry)", so the dangling foreign key stays visible.
"""

from __future__ import annotations

import re

from dictionary_service.erd.repository import FieldRow, RelationshipRow
from dictionary_service.erd.service import Graph

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")
_ATTRIBUTE_KEYWORDS = frozenset({"pk", "fk", "uk"})
_WHITESPACE = re.compile(r"\s+")
# Mermaid's entity codes: #quot; #35; ...
_ENTITY_CODE = re.compile(r"#(?=[A-Za-z0-9]+;)")
_FULLWIDTH_NUMBER_SIGN = "\uff03"
_INERT = str.maketrans(
    {
        '"': "'",
        "%": "\uff05",  # fullwidth percent sign
        "<": "\u2039",  # single left-pointing angle quotation mark
        ">": "\u203a",  # single right-pointing angle quotation mark
    }
)
COMMENT_LIMIT = 80
INDENT = "    "


def identifier(name: str) -> str:
    """Letters, digits and ``_``, not starting with a digit, never empty."""
    cleaned = _NOT_IDENTIFIER.sub("_", name) or "_"
    return f"_{cleaned}" if cleaned[0].isdigit() else cleaned


def entity(name: str) -> str:
    return f'"{identifier(name)}"'


def attribute_name(name: str) -> str:
    cleaned = identifier(name)
    return f"{cleaned}_" if cleaned.lower() in _ATTRIBUTE_KEYWORDS else cleaned


def inert(text: str) -> str:
    """Contract text made unable to do anything in a diagram but be read (see above)."""
    flat = _WHITESPACE.sub(" ", text.translate(_INERT))
    return _ENTITY_CODE.sub(_FULLWIDTH_NUMBER_SIGN, flat).strip()


def comment(text: str) -> str:
    flat = inert(text)
    if len(flat) > COMMENT_LIMIT:
        flat = flat[: COMMENT_LIMIT - 1].rstrip() + "…"
    return f'"{flat}"'


def _attribute(field: FieldRow) -> str:
    keys = [
        key
        for key, on in (
            ("PK", field.is_primary_key),
            ("FK", field.is_foreign_key),
            ("UK", field.is_unique and not field.is_primary_key),
        )
        if on
    ]
    notes = [note for note in ("PII" if field.is_pii else None, field.description) if note]
    line = f"{identifier(field.data_type)} {attribute_name(field.name)}"
    if keys:
        line += " " + ", ".join(keys)
    if notes:
        line += " " + comment("; ".join(notes))
    return line


def _relationship(rel: RelationshipRow, missing: bool) -> str:
    # The referencing side: many rows (or at most one for a unique key) per referenced row;
    # the referenced side: exactly one, or zero-or-one when the key may be null.
    left = "|o" if rel.is_unique else "}o"
    right = "o|" if rel.nullable else "||"
    label = f"{rel.from_field} (not in registry)" if missing else rel.from_field
    return f"{entity(rel.from_dataset)} {left}--{right} {entity(rel.to_dataset)} : {comment(label)}"


def render(graph: Graph) -> str:
    lines = ["erDiagram"]
    if graph.note is not None:  # our own words and numbers, nothing from a contract
        lines.append(f"{INDENT}%% {graph.note}")
    for dataset in graph.datasets:
        if dataset.status != "active":
            lines.append(f"{INDENT}%% {identifier(dataset.name)}: {identifier(dataset.status)}")
        lines.append(f"{INDENT}{entity(dataset.name)} {{")
        lines.extend(f"{INDENT * 2}{_attribute(field)}" for field in dataset.fields)
        lines.append(f"{INDENT}}}")
    for name in graph.missing:
        label = f"{identifier(name)} (not in registry)"
        lines.append(f'{INDENT}{entity(name)}["{label}"]')
    missing = set(graph.missing)
    lines.extend(
        f"{INDENT}{_relationship(rel, rel.to_dataset in missing)}" for rel in graph.relationships
    )
    return "\n".join(lines) + "\n"
