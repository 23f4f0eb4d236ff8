"""A draft as the YAML file ``datapact init`` writes: a comment saying where it came from and
what was left out, then the contract."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from datapact_common.yaml_io import dump_yaml

MAX_COMMENT_LINE = 300


def _comment(text: str) -> str:
    """One comment line: no line break can end the comment and start YAML."""
    flat = " ".join(str(text).split())
    return flat[:MAX_COMMENT_LINE]


def render(
    document: dict[str, Any], *, source: str, table: str, kind: str, left_out: Sequence[str]
) -> str:
    what = "" if kind in ("table", "file") else f", a {kind}"
    lines = [
        f"# Drafted by `datapact init` from {_comment(source)} (table {_comment(table)}{what}).",
    ]
    if document.get("metadata", {}).get("review"):
        lines.append("# Before publishing, settle each line of metadata.review and delete it.")
    if left_out:
        lines.append(LEFT_OUT_HEADING)
        lines.extend(f"#   - {_comment(item)}" for item in left_out)
    return "\n".join(lines) + "\n" + dump_yaml(document)


LEFT_OUT_HEADING = "# Left out (the contract does not say it):"


def with_left_out(text: str, left_out: Sequence[str]) -> str:
    """``text`` (a contract file a person may have edited) with a ``#   - …`` line for each
    of ``left_out`` it does not say yet, in the comment block at its top (``init
    --update``: what the database now declares and the contract cannot say is noted, the
    rest of the text untouched)."""
    missing = [f"#   - {_comment(item)}" for item in left_out]
    missing = [line for line in missing if line not in text.splitlines()]
    if not missing:
        return text
    lines = text.splitlines(keepends=True)
    top = 0
    while top < len(lines) and lines[top].startswith("#"):
        top += 1
    if not any(line.rstrip("\n") == LEFT_OUT_HEADING for line in lines[:top]):
        missing.insert(0, LEFT_OUT_HEADING)
    return "".join([*lines[:top], *(f"{line}\n" for line in missing), *lines[top:]])
