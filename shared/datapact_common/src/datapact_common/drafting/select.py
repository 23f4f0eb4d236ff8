"""Which tables of a catalogue get a contract: those of one schema, or the ones asked for.

The catalogue names a table of the default schema bare (``film``) and any other
qualified (``sales.orders``), as the data agent does, and a contract's ``table`` keeps that
name so the agent finds it. Partitions are read through their partitioned table and get no
contract of their own unless asked for by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from datapact_common.engines.base import TableInfo


@dataclass
class Selection:
    tables: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a table asked for that is not there
    notes: list[str] = field(default_factory=list)  # what was left aside on purpose


def in_schema(name: str, schema: str | None) -> bool:
    """Whether ``name`` (as the catalogue has it) is in ``schema`` (None: the default one)."""
    if schema is None:
        return "." not in name
    return name.startswith(f"{schema}.")


def select_tables(
    tables: Mapping[str, TableInfo],
    requested: Sequence[str],
    *,
    schema: str | None,
    schema_label: str,
) -> Selection:
    """``requested`` (every table when empty) among the tables of ``schema``.

    ``schema`` is None for the default schema; ``schema_label`` names the schema in messages.
    """
    selection = Selection()
    scoped = sorted(name for name in tables if in_schema(name, schema))
    if not requested:
        partitions = [name for name in scoped if tables[name].partition_of]
        selection.tables = [name for name in scoped if not tables[name].partition_of]
        if partitions:
            selection.notes.append(
                f"partitions read through their partitioned table: {', '.join(partitions)}"
            )
        if not scoped:
            selection.problems.append(f"schema '{schema_label}' has no tables (or does not exist)")
        return selection
    by_lower: dict[str, list[str]] = {}
    for name in scoped:
        by_lower.setdefault(_bare(name).lower(), []).append(name)
    for wanted in requested:
        bare = _bare(wanted) if _qualifier(wanted) in (schema, schema_label) else wanted
        qualified = bare if schema is None else f"{schema}.{bare}"
        matches = [qualified] if qualified in tables else by_lower.get(bare.lower(), [])
        if len(matches) != 1:
            why = "not found" if not matches else f"ambiguous ({', '.join(matches)})"
            selection.problems.append(f"table '{wanted}' {why} in schema '{schema_label}'")
        elif matches[0] not in selection.tables:
            selection.tables.append(matches[0])
    return selection


def _bare(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _qualifier(name: str) -> str | None:
    return name.rsplit(".", 1)[0] if "." in name else None
