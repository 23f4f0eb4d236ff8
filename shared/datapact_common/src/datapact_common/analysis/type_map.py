"""Map schema types (SQLAlchemy, SQL DDL, Python annotations) to contract data types.

Exact names only (never substrings: ``INT`` must not match ``INTERVAL``); a type that has
no contract equivalent maps to ``None`` and is never judged.
"""

from __future__ import annotations

from datapact_common.contract_schema import DataType

_GROUPS: dict[DataType, tuple[str, ...]] = {
    DataType.STRING: (
        "string",
        "unicode",
        "unicodetext",
        "text",
        "varchar",
        "nvarchar",
        "char",
        "nchar",
        "character",
        "charactervarying",
        "clob",
        "enum",
        "citext",
        "autostring",
        "bpchar",
        "name",
        "tinytext",
        "mediumtext",
        "longtext",
        "fixedstring",
        "enum8",
        "enum16",
    ),
    DataType.INTEGER: (
        "integer",
        "int",
        "int2",
        "int4",
        "int8",
        "biginteger",
        "smallinteger",
        "bigint",
        "smallint",
        "tinyint",
        "mediumint",
        "serial",
        "bigserial",
        "smallserial",
        "uint",
        "ubigint",
        "usmallint",
        "utinyint",
        "umediumint",
    ),
    DataType.FLOAT: (
        "float",
        "float4",
        "float8",
        "real",
        "double",
        "doubleprecision",
        "double_precision",
    ),
    DataType.DECIMAL: ("numeric", "decimal", "money", "smallmoney", "bigdecimal"),
    DataType.BOOLEAN: ("boolean", "bool"),
    DataType.DATE: ("date", "date32"),
    DataType.DATETIME: ("datetime", "datetime2", "smalldatetime", "datetime64"),
    DataType.TIMESTAMP: (
        "timestamp",
        "timestamptz",
        "timestampltz",
        "timestampntz",
        "timestamp_s",
        "timestamp_ms",
        "timestamp_ns",
    ),
    DataType.UUID: ("uuid", "guid", "uniqueidentifier"),
    DataType.JSON: ("json", "jsonb", "variant", "object", "super"),
    DataType.ARRAY: ("array", "list"),
    DataType.BINARY: (
        "bytea", "blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary",
        "largebinary",
    ),
    DataType.FULL_TEXT: ("tsvector",),
}  # fmt: skip

_BY_NAME: dict[str, DataType] = {name: dt for dt, names in _GROUPS.items() for name in names}

# Python annotations of SQLAlchemy 2 ``Mapped[...]`` attributes without an explicit type.
_PYTHON_TYPES: dict[str, DataType] = {
    "str": DataType.STRING,
    "int": DataType.INTEGER,
    "float": DataType.FLOAT,
    "decimal": DataType.DECIMAL,
    "bool": DataType.BOOLEAN,
    "date": DataType.DATE,
    "datetime": DataType.TIMESTAMP,
    "uuid": DataType.UUID,
    "dict": DataType.JSON,
    "list": DataType.ARRAY,
}


def data_type_for(type_name: str | None) -> DataType | None:
    """The contract type of a SQL / SQLAlchemy type name (``sa.String``, ``VARCHAR``, ...)."""
    if not type_name:
        return None
    key = type_name.rsplit(".", 1)[-1].replace(" ", "").replace("_", "").lower()
    return _BY_NAME.get(key) or _BY_NAME.get(type_name.rsplit(".", 1)[-1].lower())


def data_type_for_python(annotation: str | None) -> DataType | None:
    if not annotation:
        return None
    return _PYTHON_TYPES.get(annotation.rsplit(".", 1)[-1].lower())
