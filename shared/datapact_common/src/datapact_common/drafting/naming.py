"""Contract names and file names for tables: safe by construction.

A contract's name (``^[a-z][a-z0-9_]*$``) is made from the table's own name (its schema left
out), and a contract file is named after the contract, so a table called ``../../etc/x`` or
``a/b`` can never name a path: every character outside ``[a-z0-9_]`` becomes ``_``.
"""

from __future__ import annotations

import re

from datapact_common.contract_schema import FIELD_NAME_PATTERN, TABLE_NAME_PATTERN

MAX_NAME_LENGTH = 100  # a file name, with its suffix, stays far below every file system's limit
_FIELD = re.compile(FIELD_NAME_PATTERN)
_TABLE = re.compile(TABLE_NAME_PATTERN)


def contract_name(table: str) -> str | None:
    """``Sales.OrderLines`` → ``orderlines``; ``2024 sales`` → ``t_2024_sales``; None when
    nothing of the name is left (``"$$"``)."""
    bare = table.rsplit(".", 1)[-1]
    name = re.sub(r"[^a-z0-9]+", "_", bare.lower()).strip("_")
    if not name:
        return None
    if not name[0].isalpha():
        name = f"t_{name}"
    return name[:MAX_NAME_LENGTH].rstrip("_")


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3`` ... when another table of the run has it."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name[: MAX_NAME_LENGTH - 4]}_{number}"
    return candidate


def is_field_name(column: str) -> bool:
    return bool(_FIELD.match(column)) and len(column) <= 255


def is_table_name(table: str) -> bool:
    """Whether a contract's ``table`` can name it (letters, digits, ``_`` and ``$``)."""
    return bool(_TABLE.match(table)) and len(table) <= 255
