"""Type, name and version mapping between DataPact and ODCS."""

from __future__ import annotations

import re
from typing import Any

from datapact_common.contract_schema import CONTRACT_NAME_PATTERN, DataType

# DataPact type -> ODCS logicalType.
LOGICAL_TYPES: dict[DataType, str] = {
    DataType.STRING: "string",
    DataType.INTEGER: "integer",
    DataType.FLOAT: "number",
    DataType.DECIMAL: "number",
    DataType.BOOLEAN: "boolean",
    DataType.DATE: "date",
    DataType.DATETIME: "timestamp",
    DataType.TIMESTAMP: "timestamp",
    DataType.UUID: "string",
    DataType.JSON: "object",
    DataType.ARRAY: "array",
    DataType.BINARY: "string",
    DataType.ENUM: "string",
    DataType.FULL_TEXT: "string",
}

_LOGICAL_TO_DATAPACT: dict[str, DataType] = {
    "string": DataType.STRING,
    "integer": DataType.INTEGER,
    "number": DataType.FLOAT,
    "boolean": DataType.BOOLEAN,
    "date": DataType.DATE,
    "timestamp": DataType.TIMESTAMP,
    "time": DataType.STRING,
    "object": DataType.JSON,
    "array": DataType.ARRAY,
}


def _types(data_type: DataType, *names: str) -> dict[str, DataType]:
    return dict.fromkeys(names, data_type)


# Physical (database / file format) type names, lower case without length or precision.
# A bare "timestamp" follows PostgreSQL: without time zone (DataPact's "datetime").
_PHYSICAL_TO_DATAPACT: dict[str, DataType] = {
    **_types(DataType.UUID, "uuid", "uniqueidentifier"),
    **_types(DataType.JSON, "json", "jsonb", "variant", "object", "struct", "map", "record"),
    **_types(DataType.DECIMAL, "decimal", "numeric", "dec", "money", "bignumeric"),
    **_types(
        DataType.FLOAT,
        "float", "float4", "float8", "float32", "float64", "double", "double precision", "real",
    ),
    **_types(
        DataType.INTEGER,
        "int", "integer", "bigint", "smallint", "tinyint", "mediumint", "int2", "int4", "int8",
        "int16", "int32", "int64", "long", "short", "serial", "bigserial", "smallserial",
    ),
    **_types(DataType.BOOLEAN, "bool", "boolean"),
    **_types(DataType.DATE, "date"),
    **_types(
        DataType.TIMESTAMP,
        "timestamptz", "timestamp with time zone", "timestamp_tz", "timestamp_ltz",
        "datetimeoffset",
    ),
    **_types(
        DataType.DATETIME,
        "timestamp", "timestamp without time zone", "timestamp_ntz", "datetime", "datetime2",
        "smalldatetime",
    ),
    **_types(
        DataType.STRING,
        "string", "text", "varchar", "char", "character", "character varying", "nvarchar",
        "nchar", "varchar2", "nvarchar2", "clob", "citext", "bpchar", "time",
    ),
    **_types(DataType.ARRAY, "array", "list"),
    **_types(
        DataType.BINARY,
        "binary", "bytea", "blob", "tinyblob", "mediumblob", "longblob", "varbinary", "bytes",
    ),
    **_types(DataType.FULL_TEXT, "tsvector"),
}  # fmt: skip


def datapact_type(
    logical_type: str | None, physical_type: str | None, options: dict[str, Any] | None
) -> DataType | None:
    """The DataPact type of an ODCS property; ``None`` when nothing says."""
    options = options or {}
    if logical_type == "timestamp" and isinstance(options.get("timezone"), bool):
        return DataType.TIMESTAMP if options["timezone"] else DataType.DATETIME
    if physical_type:
        physical = re.sub(r"\(.*\)", "", physical_type).strip().lower()
        if physical.endswith("[]") or physical.startswith(("array<", "list<")):
            return DataType.ARRAY
        physical = physical.split("<", 1)[0].strip()
        if physical in _PHYSICAL_TO_DATAPACT:
            return _PHYSICAL_TO_DATAPACT[physical]
    if logical_type == "string" and options.get("format") == "uuid":
        return DataType.UUID
    if logical_type in _LOGICAL_TO_DATAPACT:
        return _LOGICAL_TO_DATAPACT[logical_type]
    return None


def sanitize_contract_name(text: str) -> str:
    """A contract name (``^[a-z][a-z0-9_]*$``) from free text; ``""`` if nothing is left."""
    if re.match(CONTRACT_NAME_PATTERN, text) and len(text) <= 255:
        return text
    name = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    if name and not name[0].isalpha():
        name = f"c_{name}"
    return name[:255]


def sanitize_field_name(text: str) -> str:
    """A field name (``^[A-Za-z_][A-Za-z0-9_]*$``) from free text; ``""`` if nothing is left."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", text.strip())
    if name and name[0].isdigit():
        name = f"_{name}"
    return name[:255] if name.strip("_") or name == text else ""


_LOOSE_VERSION = re.compile(r"^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?P<rest>[-+].*)?$")


def coerce_version(text: Any) -> tuple[str | None, str | None]:
    """``(MAJOR.MINOR.PATCH, note)`` from an ODCS version such as ``"1.0"`` or ``"v2"``.

    Returns ``(None, None)`` when the text holds no version at all; ``note`` says what was
    dropped or filled in.
    """
    raw = str(text).strip() if text is not None else ""
    match = _LOOSE_VERSION.match(raw)
    if not match:
        return None, None
    parts = [int(p) if p is not None else 0 for p in match.groups()[:3]]
    version = ".".join(str(p) for p in parts)
    note = None
    if match.group("rest"):
        note = f"version {raw!r} read as {version} (pre-release/build suffix dropped)"
    elif version != raw:
        note = f"version {raw!r} read as {version}"
    return version, note
