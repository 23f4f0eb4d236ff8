"""A merged contract written back into the text it came from, comments and all.

``datapact init --update`` merges a new draft into a contract a person has edited
(``drafting.merge``). Dumping the merged document would drop every comment the person
wrote, and reorder and restyle their text. Here the difference between the document read
from the file and the merged one becomes edits of the file's text, located with PyYAML's
node marks:

- a changed scalar (or flow collection) is replaced where it stands;
- a key the merge added goes after the mapping's last line, at the mapping's indentation;
- items appended to a block list (new columns, review lines) go after its last item;
- a key the merge removed loses its lines.

Everything else - comments, blank lines, key order, quoting, the header - is the person's
text, untouched. The result is read back and must equal the merged document; when it does
not (an edit this module cannot place, such as a key on a ``- `` line), the caller gets
None and falls back to writing the document whole.
"""

from __future__ import annotations

from typing import Any

import yaml

from datapact_common.yaml_io import dump_yaml, load_yaml


class _CannotPlaceError(Exception):
    """An edit whose place in the text is not clear."""


class _Edits:
    def __init__(self, text: str) -> None:
        self.text = text
        self.items: list[tuple[int, int, str, int]] = []  # start, end, replacement, order

    def add(self, start: int, end: int, replacement: str) -> None:
        self.items.append((start, end, replacement, len(self.items)))

    def apply(self) -> str:
        text = self.text
        # from the end of the text back; at one position, the edit recorded first ends first
        spans = sorted(self.items, key=lambda item: (item[0], item[3]), reverse=True)
        previous_start = len(text) + 1
        for start, end, replacement, _ in spans:
            if end > previous_start:
                raise _CannotPlaceError("overlapping edits")
            text = text[:start] + replacement + text[end:]
            previous_start = start
        return text

    def line_end(self, index: int) -> int:
        """The index just past the line break of the line holding ``index``."""
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1


def _last_index(node: yaml.Node) -> int:
    """The index of the last character of ``node``'s own text (not the line after it)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _last_index(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _last_index(node.value[-1])
    end = node.end_mark.index
    if node.end_mark.column == 0 and end > node.start_mark.index:
        end -= 1  # a block scalar ends at the start of the next line
    return max(end - 1, node.start_mark.index)


def _flow(value: Any) -> str:
    text = yaml.safe_dump(
        value, default_flow_style=True, width=2**31, allow_unicode=True, sort_keys=False
    )
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


def _indented(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _block_lines(value: Any, spaces: int) -> str:
    return _indented(dump_yaml(value), spaces)


def _is_block(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style


def _replace(edits: _Edits, node: yaml.Node, new: Any, key_column: int | None) -> None:
    """``node`` (a value) becomes ``new``, written where ``node`` stands: a non-empty
    collection under a key as a block on the lines after the key (unless the person wrote
    it in flow style), anything else in flow style (``[a, b]``, ``{type: min}``, a scalar)."""
    start, end = node.start_mark.index, node.end_mark.index
    if _is_block(node) or (isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")):
        end = _last_index(node) + 1
    own_line = _is_block(node) and not edits.text[edits.line_start(start) : start].strip()
    if own_line:
        if key_column is None:
            raise _CannotPlaceError("a block list item replaced")
        start = edits.line_start(start) - 1  # from the line break that ends the key's line
    flow_kept = isinstance(node, yaml.CollectionNode) and node.flow_style and node.value
    if isinstance(new, dict | list) and new and key_column is not None and not flow_kept:
        while not own_line and start > 0 and edits.text[start - 1] == " ":
            start -= 1  # `metadata: {}` -> `metadata:` and the block below
        edits.add(start, end, "\n" + _block_lines(new, key_column + 2).rstrip("\n"))
    else:
        edits.add(start, end, (" " if own_line else "") + _flow(new))


def _diff(edits: _Edits, node: yaml.Node, old: Any, new: Any, key_column: int | None) -> None:
    if old == new:
        return
    both_dicts = isinstance(old, dict) and isinstance(new, dict)
    if _is_block(node) and isinstance(node, yaml.MappingNode) and node.value and both_dicts:
        _diff_mapping(edits, node, old, new)
        return
    grown = isinstance(old, list) and isinstance(new, list) and len(new) >= len(old) > 0
    if _is_block(node) and isinstance(node, yaml.SequenceNode) and grown:
        _diff_sequence(edits, node, old, new)
        return
    _replace(edits, node, new, key_column)


def _diff_mapping(
    edits: _Edits, node: yaml.MappingNode, old: dict[str, Any], new: dict[str, Any]
) -> None:
    entries: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _CannotPlaceError("a complex key")
        entries[key_node.value] = (key_node, value_node)
    if set(entries) != set(old):
        raise _CannotPlaceError("the text's keys are not the document's (merge keys, aliases)")
    column = node.value[0][0].start_mark.column
    for key, (key_node, value_node) in entries.items():
        if key not in new:
            start = edits.line_start(key_node.start_mark.index)
            if edits.text[start : key_node.start_mark.index].strip():
                raise _CannotPlaceError(f"key {key!r} shares its line with a list marker")
            edits.add(start, edits.line_end(_last_index(value_node)), "")
        else:
            _diff(edits, value_node, old[key], new[key], key_node.start_mark.column)
    added = {key: value for key, value in new.items() if key not in old}
    if added:
        at = edits.line_end(_last_index(node))
        edits.add(at, at, _ensure_break(edits.text, at) + _block_lines(added, column))


def _diff_sequence(edits: _Edits, node: yaml.SequenceNode, old: list[Any], new: list[Any]) -> None:
    for item_node, before, after in zip(node.value, old, new, strict=False):
        _diff(edits, item_node, before, after, None)
    appended = new[len(old) :]
    if appended:
        at = edits.line_end(_last_index(node))
        edits.add(
            at, at, _ensure_break(edits.text, at) + _block_lines(appended, node.start_mark.column)
        )


def _ensure_break(text: str, at: int) -> str:
    """A line break first when the insertion point ends a file without one."""
    return "\n" if at == len(text) and text and not text.endswith("\n") else ""


def merge_into_text(text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """``text`` (which reads as ``old``) edited to read as ``new``; None when it cannot be."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    edits = _Edits(text)
    try:
        _diff(edits, root, old, new, None)
        patched = edits.apply()
    except _CannotPlaceError:
        return None
    try:
        reread = load_yaml(patched)
    except Exception:  # any failure means: write the document whole
        return None
    return patched if reread == new else None
