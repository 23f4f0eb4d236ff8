"""Physical (database) column types, read well enough to tell a widening from a change.

A field's ``physical_type`` is the text a database or an ODCS document writes
(``varchar(18)``, ``NUMERIC(10, 2)``, ``int8``, a domain name). The classifier asks one
question of two of them: is every value the old type holds also a value of the new type,
unchanged? That is a widening:

- integers to a wider integer (``smallint`` < ``integer`` < ``bigint``), or to a
  ``numeric`` with at least as many integer digits, or to a float whose mantissa holds them
  all (``smallint`` to ``real``, ``integer`` to ``double precision``);
- ``real`` to ``double precision``;
- ``numeric(p, s)`` to ``numeric(p', s')`` when it keeps the integer digits and the scale:
  ``p' - s' >= p - s`` and ``s' >= s`` (``numeric(10,2)`` to ``numeric(12,4)`` widens: 8
  integer digits and 2 decimals still fit; ``numeric(10,2)`` to ``numeric(10,4)`` does not);
  a ``numeric`` without precision holds every number;
- a length-bounded string or binary type to the same kind with a length at least as large,
  or unbounded (``varchar(18)`` to ``varchar(30)``, ``varchar`` or ``text``); ``char(n)``
  is blank-padded, so it only ever equals itself;
- a timestamp or time to the same kind with more fractional-second digits.

Anything else that differs (another kind, a narrower size, time zone added or dropped, a
name this module does not know) is a change. Spelling does not matter: ``INT4``,
``integer`` and ``int`` are the same type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class TypeChange(StrEnum):
    SAME = "same"  # the same type, perhaps spelled differently
    WIDENED = "widened"  # every old value is a value of the new type, unchanged
    CHANGED = "changed"


@dataclass(frozen=True)
class PhysicalType:
    kind: str  # canonical name, e.g. "int4", "numeric", "varchar"
    size: tuple[int, ...] = ()  # length / (precision, scale) / fractional digits; () = none


# Integer kinds by width, and the decimal digits each holds.
_INTEGER_DIGITS = {"int1": 3, "int2": 5, "int3": 8, "int4": 10, "int8": 19}
_INTEGER_RANK = {kind: rank for rank, kind in enumerate(_INTEGER_DIGITS)}
# Binary digits of a float's mantissa: the integers it holds exactly.
_FLOAT_BITS = {"float4": 24, "float8": 53}
_INTEGER_BITS = {"int1": 8, "int2": 16, "int3": 24, "int4": 32, "int8": 64}
# Kinds bounded by a length; within one family a longer (or no) bound widens.
_LENGTH_FAMILIES = {
    "varchar": "string",
    "text": "string",
    "string": "string",
    "clob": "string",
    "nvarchar": "nstring",
    "ntext": "nstring",
    "varbinary": "binary",
    "bytea": "binary",
    "blob": "binary",
}
_UNBOUNDED = {"text", "string", "clob", "ntext", "bytea", "blob"}
_FRACTIONAL = {"timestamp", "timestamptz", "time", "timetz", "datetime2"}

_ALIASES = {
    "tinyint": "int1",
    "smallint": "int2",
    "smallserial": "int2",
    "serial2": "int2",
    "mediumint": "int3",
    "int": "int4",
    "integer": "int4",
    "serial": "int4",
    "serial4": "int4",
    "bigint": "int8",
    "bigserial": "int8",
    "serial8": "int8",
    "long": "int8",
    "int64": "int8",
    "int32": "int4",
    "int16": "int2",
    "real": "float4",
    "float32": "float4",
    "double": "float8",
    "double precision": "float8",
    "float64": "float8",
    "decimal": "numeric",
    "dec": "numeric",
    "character varying": "varchar",
    "char varying": "varchar",
    "varchar2": "varchar",
    "character": "char",
    "bpchar": "char",
    "nvarchar2": "nvarchar",
    "national character varying": "nvarchar",
    "binary varying": "varbinary",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "time without time zone": "time",
    "time with time zone": "timetz",
    "bool": "boolean",
}
_SIZED = re.compile(r"^(?P<kind>[a-z][a-z0-9_ ]*?)\s*\((?P<args>[^()]*)\)\s*(?P<rest>[a-z ]*)$")


def parse_physical_type(text: str) -> PhysicalType:
    """The canonical kind and size of ``text`` (unknown names keep their spelling)."""
    cleaned = " ".join(text.strip().lower().split())
    size: tuple[int, ...] = ()
    match = _SIZED.match(cleaned)
    if match:
        args = [a.strip() for a in match.group("args").split(",")]
        if all(a.isdigit() for a in args):
            size = tuple(int(a) for a in args)
            rest = match.group("rest").strip()
            cleaned = f"{match.group('kind').strip()} {rest}".strip()
        elif args == ["max"]:  # SQL Server's varchar(max): no bound
            cleaned = match.group("kind").strip()
    kind = _ALIASES.get(cleaned, cleaned)
    if kind == "float" and size:  # float(p): p binary digits (SQL standard)
        kind, size = ("float4" if size[0] <= 24 else "float8"), ()
    elif kind == "float":  # PostgreSQL's float is double precision
        kind = "float8"
    if kind == "numeric" and len(size) == 1:
        size = (size[0], 0)
    return PhysicalType(kind, size)


def compare_physical_types(old: str, new: str) -> TypeChange:
    """How ``new`` relates to ``old`` (see the module docstring)."""
    before, after = parse_physical_type(old), parse_physical_type(new)
    if before == after:
        return TypeChange.SAME
    return TypeChange.WIDENED if _widens(before, after) else TypeChange.CHANGED


def _widens(old: PhysicalType, new: PhysicalType) -> bool:
    if old.kind in _INTEGER_DIGITS:
        return _integer_widens(old.kind, new)
    if old.kind == "float4":
        return new.kind == "float8"
    if old.kind == "numeric":
        return new.kind == "numeric" and _numeric_widens(old.size, new.size)
    if old.kind in _LENGTH_FAMILIES:
        same_family = _LENGTH_FAMILIES.get(new.kind) == _LENGTH_FAMILIES[old.kind]
        return same_family and _length_widens(old, new)
    if old.kind in _FRACTIONAL:
        return new.kind == old.kind and _digits(new) >= _digits(old)
    return False


def _integer_widens(kind: str, new: PhysicalType) -> bool:
    if new.kind in _INTEGER_RANK:
        return _INTEGER_RANK[new.kind] >= _INTEGER_RANK[kind]
    if new.kind == "numeric":
        return not new.size or new.size[0] - new.size[1] >= _INTEGER_DIGITS[kind]
    if new.kind in _FLOAT_BITS:
        return _FLOAT_BITS[new.kind] >= _INTEGER_BITS[kind]
    return False


def _numeric_widens(old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    if not new:
        return True  # numeric without precision holds any value
    if not old:
        return False
    (old_p, old_s), (new_p, new_s) = old, new
    return new_p - new_s >= old_p - old_s and new_s >= old_s


def _length_widens(old: PhysicalType, new: PhysicalType) -> bool:
    new_bound = None if new.kind in _UNBOUNDED or not new.size else new.size[0]
    old_bound = None if old.kind in _UNBOUNDED or not old.size else old.size[0]
    if new_bound is None:
        return True
    return old_bound is not None and new_bound >= old_bound


def _digits(kind: PhysicalType) -> int:
    """Fractional-second digits (6 when not written, PostgreSQL's default)."""
    return kind.size[0] if kind.size else 6
