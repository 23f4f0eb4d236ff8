"""PostgreSQL type names, parsed and matched exactly against contract data types.

A data service's ``/schema`` reports each column's type the way SQLAlchemy's inspector
compiles it for PostgreSQL (``VARCHAR(255)``, ``NUMERIC(10, 2)``, ``TIMESTAMP WITH TIME
ZONE``, ``INTEGER[]``); the data agent adds a ``base_type`` (a domain's underlying type,
``enum`` for an enum type, the PostgreSQL spelling of another engine's type), which is
compared instead when present. A hand-written service may send PostgreSQL's own spelling
(``character varying(255)``, ``int4``, ``timestamptz``, ``_int4``). Both are parsed into a
canonical name, parameters and array depth. Matching is by canonical name from an explicit
map, never by substring, so ``interval`` and ``point`` are not integers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from datapact_common.contract_schema import DataType

_WITH_TZ = " with time zone"
_WITHOUT_TZ = " without time zone"

# PostgreSQL spellings and aliases → one canonical name.
_ALIASES: Final[dict[str, str]] = {
    "int": "integer", "int4": "integer", "integer": "integer",
    "serial": "integer", "serial4": "integer",
    "int8": "bigint", "bigint": "bigint", "bigserial": "bigint", "serial8": "bigint",
    "int2": "smallint", "smallint": "smallint", "smallserial": "smallint", "serial2": "smallint",
    "character varying": "varchar", "varchar": "varchar",
    "character": "char", "char": "char", "bpchar": "char",
    "text": "text", "citext": "citext",
    "decimal": "numeric", "numeric": "numeric",
    "double precision": "double precision", "float8": "double precision",
    "real": "real", "float4": "real",
    "bool": "boolean", "boolean": "boolean",
    "date": "date",
    "timestamp": "timestamp", "timestamptz": "timestamptz",
    "time": "time", "timetz": "timetz",
    "uuid": "uuid", "json": "json", "jsonb": "jsonb",
    "interval": "interval",
    "bytea": "bytea", "blob": "bytea", "longblob": "bytea", "mediumblob": "bytea",
    "tinyblob": "bytea", "varbinary": "bytea", "binary": "bytea",
    "tsvector": "tsvector",
    # A database enum type. The data agent reports `base_type: enum` for a PostgreSQL,
    # MySQL or DuckDB enum column (its own name, e.g. `mpaa_rating`, stays in `type`).
    "enum": "enum",
}  # fmt: skip

# What each contract data type accepts, by canonical name. ``array`` is handled apart:
# it accepts any array column whatever its element type.
CONTRACT_TYPE_MAP: Final[dict[DataType, frozenset[str]]] = {
    DataType.STRING: frozenset({"varchar", "char", "text", "citext"}),
    DataType.INTEGER: frozenset({"smallint", "integer", "bigint"}),
    DataType.FLOAT: frozenset({"real", "double precision"}),
    DataType.DECIMAL: frozenset({"numeric"}),
    DataType.BOOLEAN: frozenset({"boolean"}),
    DataType.DATE: frozenset({"date"}),
    # A naive wall-clock time vs an instant: `datetime` is TIMESTAMP WITHOUT TIME ZONE,
    # `timestamp` is TIMESTAMP WITH TIME ZONE. Mixing them shifts values by the offset.
    DataType.DATETIME: frozenset({"timestamp"}),
    DataType.TIMESTAMP: frozenset({"timestamptz"}),
    DataType.UUID: frozenset({"uuid"}),
    DataType.JSON: frozenset({"json", "jsonb"}),
    DataType.BINARY: frozenset({"bytea"}),
    DataType.FULL_TEXT: frozenset({"tsvector"}),
    # An enum column, or a text column whose values the `enum` constraint keeps to the list
    # (the data agent counts the rows outside it).
    DataType.ENUM: frozenset({"enum", "varchar", "char", "text", "citext"}),
}

_TYPE_RE = re.compile(
    r"""^(?P<base>[a-z_][a-z0-9_ ]*?)      # name, possibly several words
        \s*(?:\((?P<params>[^()]*)\))?    # (255) or (10, 2)
        (?P<tz>\s+with(?:out)?\s+time\s+zone)?
        (?P<fields>\s+(?:year|month|day|hour|minute|second)(?:\s+to\s+\w+)?(?:\s*\(\d+\))?)?
        $""",
    re.VERBOSE,
)
_ARRAY_SUFFIX_RE = re.compile(r"\s*\[\d*\]$")


@dataclass(frozen=True)
class PgType:
    """A parsed column type."""

    raw: str
    name: str
    params: tuple[int, ...] = ()
    array_dims: int = 0
    known: bool = True

    @property
    def is_array(self) -> bool:
        return self.array_dims > 0

    def describe(self) -> str:
        text = self.name
        if self.params:
            text += "(" + ", ".join(str(p) for p in self.params) + ")"
        return text + "[]" * self.array_dims


def parse_pg_type(text: str) -> PgType:
    """Parse a type name as ``/schema`` reports it into a canonical :class:`PgType`."""
    raw = text
    value = " ".join(str(text).strip().lower().split())
    dims = 0
    while True:
        stripped = _ARRAY_SUFFIX_RE.sub("", value)
        if stripped == value:
            break
        dims += 1
        value = stripped
    if value.startswith("_") and len(value) > 1:  # PostgreSQL's internal array name: _int4
        dims += 1
        value = value[1:]
    if value == "array":  # the generic inspector's spelling: an array of unknown elements
        return PgType(raw, "array", (), max(dims, 1), known=True)
    match = _TYPE_RE.match(value)
    if not match:
        return PgType(raw, value, (), dims, known=False)
    base = " ".join(match.group("base").split())
    params = _parse_params(match.group("params"))
    tz = " ".join((match.group("tz") or "").split())
    name = _canonical(base, params, tz)
    if name is None:
        return PgType(raw, base, params or (), dims, known=False)
    if name in {"double precision", "real"} and base.startswith("float"):
        params = ()  # float(p) only chose between real and double precision
    return PgType(raw, name, params or (), dims, known=True)


def _parse_params(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _canonical(base: str, params: tuple[int, ...] | None, tz: str) -> str | None:
    with_tz = tz == _WITH_TZ.strip()
    if tz and not with_tz and tz != _WITHOUT_TZ.strip():
        return None
    if base in ("timestamp", "time"):
        return base + ("tz" if with_tz else "")
    if tz:  # a time zone clause on anything else is not a type we know
        return None
    if base == "float":  # float(p): p <= 24 is real, otherwise (and bare) double precision
        return "real" if params and params[0] <= 24 else "double precision"
    return _ALIASES.get(base)


def accepted_types(data_type: DataType) -> str:
    """Human-readable list of what a contract type accepts (for messages)."""
    if data_type is DataType.ARRAY:
        return "any array type"
    return ", ".join(sorted(CONTRACT_TYPE_MAP[data_type]))


def type_matches(data_type: DataType, column: PgType) -> bool:
    """Exact compatibility: the canonical column type is one the contract type accepts."""
    if data_type is DataType.ARRAY:
        return column.is_array
    if column.is_array or not column.known:
        return False
    return column.name in CONTRACT_TYPE_MAP[data_type]


# The contract data type a column of each canonical type is written as (``datapact init``):
# one the type check above accepts, the narrowest where several would (a text column is a
# `string`; `enum` is for enum types).
_DATA_TYPE_OF: Final[dict[str, DataType]] = {
    "varchar": DataType.STRING, "char": DataType.STRING, "text": DataType.STRING,
    "citext": DataType.STRING,
    "smallint": DataType.INTEGER, "integer": DataType.INTEGER, "bigint": DataType.INTEGER,
    "real": DataType.FLOAT, "double precision": DataType.FLOAT,
    "numeric": DataType.DECIMAL,
    "boolean": DataType.BOOLEAN,
    "date": DataType.DATE,
    "timestamp": DataType.DATETIME,
    "timestamptz": DataType.TIMESTAMP,
    "uuid": DataType.UUID,
    "json": DataType.JSON, "jsonb": DataType.JSON,
    "bytea": DataType.BINARY,
    "tsvector": DataType.FULL_TEXT,
    "enum": DataType.ENUM,
}  # fmt: skip


def data_type_of(type_name: str) -> DataType | None:
    """The contract data type for a column type (a ``base_type`` as ``/schema`` reports it);
    None for a type no contract data type accepts (``time``, ``interval``, ``point`` ...)."""
    parsed = parse_pg_type(type_name)
    if parsed.is_array:
        return DataType.ARRAY
    if not parsed.known:
        return None
    return _DATA_TYPE_OF.get(parsed.name)
