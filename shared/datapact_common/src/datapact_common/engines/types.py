"""Each engine's type names in PostgreSQL's spelling, the one the monitor compares.

Pure functions of the names an engine's catalogue writes (MySQL's ``DATA_TYPE`` and
``COLUMN_TYPE``, DuckDB's ``data_type``), so a DDL file read for that engine's dialect maps
through the same code as the live catalogue (``datapact init --from-sql`` and ``--from-db``
agree). No driver is imported here.
"""

from __future__ import annotations

import re

from datapact_common.engines.base import Kind

_LABEL = re.compile(r"'((?:[^']|'')*)'")

# MySQL and MariaDB

_SIMPLE: dict[str, tuple[str, Kind]] = {
    "smallint": ("smallint", Kind.NUMBER),
    "mediumint": ("integer", Kind.NUMBER),
    "int": ("integer", Kind.NUMBER),
    "integer": ("integer", Kind.NUMBER),
    "bigint": ("bigint", Kind.NUMBER),
    "float": ("real", Kind.NUMBER),
    "double": ("double precision", Kind.NUMBER),
    "year": ("smallint", Kind.NUMBER),
    "tinytext": ("text", Kind.TEXT),
    "text": ("text", Kind.TEXT),
    "mediumtext": ("text", Kind.TEXT),
    "longtext": ("text", Kind.TEXT),
    "set": ("text", Kind.TEXT),
    "date": ("date", Kind.TEMPORAL),
    "datetime": ("timestamp without time zone", Kind.TEMPORAL),
    "timestamp": ("timestamp with time zone", Kind.TEMPORAL),  # stored as UTC
    "time": ("time without time zone", Kind.TEMPORAL),
    "json": ("json", Kind.JSON),
    "uuid": ("uuid", Kind.UUID),  # MariaDB 10.7+
    "bit": ("bit", Kind.COMPARABLE),
    **dict.fromkeys(
        ("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"),
        ("bytea", Kind.BINARY),
    ),
}
_UNSIGNED_WIDER = {"smallint": "integer", "integer": "bigint", "bigint": "numeric"}


def describe_mysql_type(
    data_type: str, column_type: str
) -> tuple[str, Kind, tuple[str, ...] | None]:
    """MySQL's type → (PostgreSQL spelling the monitor compares, kind, enum labels)."""
    spelled_type = column_type
    data_type, column_type = data_type.lower(), column_type.lower()
    size = re.search(r"\(([\d, ]+)\)", column_type)
    if data_type == "enum":
        labels = tuple(label.replace("''", "'") for label in _LABEL.findall(spelled_type))
        return "enum", Kind.ENUM, labels
    if data_type == "tinyint":
        if column_type.startswith("tinyint(1)"):
            return "boolean", Kind.NUMBER, None  # BOOLEAN is tinyint(1): values compare as numbers
        return "smallint", Kind.NUMBER, None
    if data_type in ("decimal", "numeric"):
        params = size.group(1).replace(" ", "").replace(",", ", ") if size else ""
        return f"numeric({params})" if params else "numeric", Kind.NUMBER, None
    if data_type in ("char", "varchar"):
        spelled = "character" if data_type == "char" else "character varying"
        return f"{spelled}({size.group(1)})" if size else spelled, Kind.TEXT, None
    if data_type in _SIMPLE:
        base, kind = _SIMPLE[data_type]
        if "unsigned" in column_type:
            base = _UNSIGNED_WIDER.get(base, base)
        return base, kind, None
    return column_type, Kind.OTHER, None


# DuckDB

_INTEGERS = {
    "TINYINT": "smallint", "SMALLINT": "smallint", "UTINYINT": "smallint",
    "INTEGER": "integer", "USMALLINT": "integer",
    "BIGINT": "bigint", "UINTEGER": "bigint",
    "HUGEINT": "numeric", "UBIGINT": "numeric", "UHUGEINT": "numeric",
}  # fmt: skip
_BASE = {
    "VARCHAR": ("text", Kind.TEXT),
    "DOUBLE": ("double precision", Kind.NUMBER),
    "FLOAT": ("real", Kind.NUMBER),
    "BOOLEAN": ("boolean", Kind.BOOLEAN),
    "DATE": ("date", Kind.TEMPORAL),
    "TIMESTAMP": ("timestamp without time zone", Kind.TEMPORAL),
    "TIMESTAMP_NS": ("timestamp without time zone", Kind.TEMPORAL),
    "TIMESTAMP_MS": ("timestamp without time zone", Kind.TEMPORAL),
    "TIMESTAMP_S": ("timestamp without time zone", Kind.TEMPORAL),
    "TIMESTAMP WITH TIME ZONE": ("timestamp with time zone", Kind.TEMPORAL),
    "TIME": ("time without time zone", Kind.TEMPORAL),
    "UUID": ("uuid", Kind.UUID),
    "BLOB": ("bytea", Kind.BINARY),
    "JSON": ("json", Kind.JSON),
    "INTERVAL": ("interval", Kind.COMPARABLE),
}


def describe_duckdb_type(duck_type: str) -> tuple[str, Kind, tuple[str, ...] | None]:
    """DuckDB's type name → (PostgreSQL spelling the monitor compares, kind, enum labels)."""
    name = duck_type.strip()
    if name.endswith("[]"):
        element, _, _ = describe_duckdb_type(name[:-2])
        return f"{element}[]", Kind.ARRAY, None
    upper = name.upper()
    if upper.startswith("ENUM("):
        labels = tuple(label.replace("''", "'") for label in _LABEL.findall(name))
        return "enum", Kind.ENUM, labels
    if upper.startswith("DECIMAL"):
        return "numeric" + name[len("DECIMAL") :].replace(",", ", "), Kind.NUMBER, None
    if upper in _INTEGERS:
        return _INTEGERS[upper], Kind.NUMBER, None
    if upper in _BASE:
        base, kind = _BASE[upper]
        return base, kind, None
    if upper.startswith(("STRUCT", "MAP", "UNION")):
        return name, Kind.COMPARABLE, None
    return name, Kind.OTHER, None
