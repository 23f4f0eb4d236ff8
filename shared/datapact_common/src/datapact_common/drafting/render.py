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
        lines.append("# Left out (the contract does not say it):")
        lines.extend(f"#   - {_comment(item)}" for item in left_out)
    return "\n".join(lines) + "\n" + dump_yaml(document)
