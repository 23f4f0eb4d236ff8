"""Map schema types (SQLAlchemy, SQL DDL, Python annotations) to contract data types.

Exact names only (never substrings: ``INT`` must not match ``INTERVAL``); a type that has
no contract equivalent maps to ``None`` and is never judged.
"""

from __future__ import annotations

import ast
import re

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


# SQLAlchemy type names as the SQL type they create (PostgreSQL's spelling), for comparing
# a migration's ``type_=`` with a contract field's ``physical_type``.
_SQLALCHEMY_SQL = {
    "string": "varchar", "unicode": "varchar", "text": "text", "unicodetext": "text",
    "integer": "integer", "smallinteger": "smallint", "biginteger": "bigint",
    "numeric": "numeric", "float": "float", "double": "double precision",
    "boolean": "boolean", "date": "date", "time": "time", "datetime": "timestamp",
    "largebinary": "bytea", "uuid": "uuid", "interval": "interval", "json": "json",
}  # fmt: skip
_SQL_TEXT = re.compile(r"^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?[A-Za-z ]*$")


def physical_type_text(raw: str | None) -> str | None:
    """A schema source's type as SQL text to compare with a ``physical_type``:
    ``sa.Numeric(12, 4)`` -> ``numeric(12,4)``, ``sa.String(length=320)`` ->
    ``varchar(320)``, ``sa.DateTime(timezone=True)`` -> ``timestamptz``; SQL text
    (``DECIMAL(12, 4)``) as it is. None when it cannot be told (a custom type, a variable)."""
    if not raw:
        return None
    try:
        node = ast.parse(raw.strip(), mode="eval").body
    except SyntaxError:
        return raw if _SQL_TEXT.match(raw.strip()) else None
    if isinstance(node, ast.Name | ast.Attribute):
        call_args: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        func: ast.expr = node
    elif isinstance(node, ast.Call):
        call_args, keywords, func = list(node.args), list(node.keywords), node.func
    else:
        return None
    name = ast.unparse(func).rsplit(".", 1)[-1]
    options = {k.arg: k.value for k in keywords if k.arg}
    numbers = [a.value for a in call_args if isinstance(a, ast.Constant)]
    if len(numbers) != len(call_args) or not all(type(n) is int for n in numbers):
        return None
    for key in ("length", "precision", "scale"):
        value = options.get(key)
        if isinstance(value, ast.Constant) and type(value.value) is int:
            numbers.append(value.value)
    sql = _SQLALCHEMY_SQL.get(name.lower(), name.lower() if name.isupper() else None)
    if sql is None:
        return None
    timezone = options.get("timezone")
    if isinstance(timezone, ast.Constant) and timezone.value is True:
        sql = {"timestamp": "timestamptz", "time": "timetz"}.get(sql, sql)
    return f"{sql}({','.join(str(n) for n in numbers)})" if numbers else sql
