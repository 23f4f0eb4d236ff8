"""A column type read from DDL, spelled as the engine's own catalogue spells it.

``datapact init --from-db`` reads a type as the database names it (PostgreSQL's
``format_type``: ``character varying(60)``, ``timestamp with time zone``; MySQL's
``COLUMN_TYPE``; DuckDB's ``data_type``) and maps it with :mod:`datapact_common.engines.types`.
A type written in a DDL file is first spelled the same way here, so both sources go through
one mapping and give the same contract (``--from-sql`` and ``--from-db`` agree).
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.expressions.datatypes import DType

from datapact_common.engines.base import Kind
from datapact_common.engines.types import describe_duckdb_type, describe_mysql_type
from datapact_common.pg_types import parse_pg_type

# sqlglot's type → PostgreSQL's format_type() spelling (without parameters).
_POSTGRES: dict[DType, str] = {
    DType.SMALLINT: "smallint", DType.TINYINT: "smallint", DType.SMALLSERIAL: "smallint",
    DType.INT: "integer", DType.SERIAL: "integer", DType.MEDIUMINT: "integer",
    DType.BIGINT: "bigint", DType.BIGSERIAL: "bigint",
    DType.FLOAT: "real", DType.DOUBLE: "double precision",
    DType.DECIMAL: "numeric", DType.MONEY: "money",
    DType.VARCHAR: "character varying", DType.NVARCHAR: "character varying",
    DType.CHAR: "character", DType.NCHAR: "character", DType.BPCHAR: "bpchar",
    DType.TEXT: "text",
    DType.BOOLEAN: "boolean", DType.DATE: "date",
    DType.TIMESTAMP: "timestamp without time zone", DType.DATETIME: "timestamp without time zone",
    DType.TIMESTAMPTZ: "timestamp with time zone",
    DType.TIME: "time without time zone", DType.TIMETZ: "time with time zone",
    DType.INTERVAL: "interval", DType.UUID: "uuid", DType.JSON: "json", DType.JSONB: "jsonb",
    DType.VARBINARY: "bytea", DType.BINARY: "bytea", DType.BLOB: "bytea",
    DType.XML: "xml", DType.INET: "inet", DType.POINT: "point", DType.BIT: "bit",
}  # fmt: skip
# Serial types are integers with a sequence, and NOT NULL.
SERIALS = frozenset({DType.SERIAL, DType.BIGSERIAL, DType.SMALLSERIAL})
_KINDS: dict[str, Kind] = {
    **dict.fromkeys(("smallint", "integer", "bigint", "real", "double precision"), Kind.NUMBER),
    "numeric": Kind.NUMBER,
    **dict.fromkeys(("varchar", "char", "text", "citext"), Kind.TEXT),
    "boolean": Kind.BOOLEAN,
    **dict.fromkeys(("date", "timestamp", "timestamptz", "time", "timetz"), Kind.TEMPORAL),
    "uuid": Kind.UUID, "bytea": Kind.BINARY, "json": Kind.JSON, "jsonb": Kind.JSON,
    "enum": Kind.ENUM,
    **dict.fromkeys(("tsvector", "interval", "inet", "cidr", "money", "bit"), Kind.COMPARABLE),
}  # fmt: skip


def postgres_spelling(dtype: exp.DataType) -> str:
    """``VARCHAR(60)`` → ``character varying(60)``, ``TIMESTAMP(3)`` → ``timestamp(3) without
    time zone``, ``TEXT[]`` → ``text[]``; a user-defined type keeps its (bare) name."""
    if dtype.this is DType.ARRAY:
        inner = dtype.expressions[0] if dtype.expressions else None
        element = postgres_spelling(inner) if isinstance(inner, exp.DataType) else "text"
        return element if element.endswith("[]") else f"{element}[]"
    params = [p.sql(dialect="postgres") for p in dtype.expressions]
    name = _POSTGRES.get(dtype.this)
    if name is None:
        text = dtype.sql(dialect="postgres")
        if dtype.this is DType.USERDEFINED:
            return text.rsplit(".", 1)[-1].strip('"')
        return text.lower()
    if dtype.this is DType.DOUBLE and params:  # float(p): real up to 24 binary digits
        return "real" if params[0].isdigit() and int(params[0]) <= 24 else "double precision"
    if dtype.this is DType.DECIMAL and len(params) == 1:
        params.append("0")  # numeric(8) is numeric(8,0)
    if dtype.this is DType.CHAR and not params:
        params = ["1"]  # char is char(1)
    if not params or dtype.this in SERIALS:
        return name
    size = f"({','.join(params)})"
    if " time zone" in name:  # timestamp(3) with time zone
        head, _, tail = name.partition(" ")
        return f"{head}{size} {tail}"
    return f"{name}{size}"


def postgres_kind(base_type: str) -> Kind:
    parsed = parse_pg_type(base_type)
    if parsed.is_array:
        return Kind.ARRAY
    return _KINDS.get(parsed.name, Kind.OTHER)


# sqlglot's type → MySQL's DATA_TYPE, when its rendering in the MySQL dialect says otherwise.
_MYSQL_DATA_TYPES: dict[DType, str] = {
    DType.UTINYINT: "tinyint", DType.USMALLINT: "smallint", DType.UMEDIUMINT: "mediumint",
    DType.UINT: "int", DType.UBIGINT: "bigint", DType.TIMESTAMPTZ: "timestamp",
    DType.TIMESTAMP: "datetime", DType.DATETIME: "datetime",
}  # fmt: skip


def mysql_spelling(dtype: exp.DataType) -> tuple[str, str]:
    """(``DATA_TYPE``, ``COLUMN_TYPE``) as MySQL's catalogue writes them: ``BOOLEAN`` is
    ``tinyint(1)``, ``INT UNSIGNED`` stays ``int unsigned``."""
    if dtype.this is DType.BOOLEAN:
        return "tinyint", "tinyint(1)"
    column_type = dtype.sql(dialect="mysql").lower()
    data_type = _MYSQL_DATA_TYPES.get(dtype.this) or column_type.split("(")[0].split(" ")[0]
    if dtype.this is DType.TIMESTAMP:
        column_type = "datetime" + column_type[len("timestamp") :]
    if dtype.this in (DType.ENUM, DType.SET):
        column_type = dtype.sql(dialect="mysql")  # labels keep their case
        column_type = data_type + column_type[len(data_type) :]
    return data_type, column_type.replace(", ", ",")


def describe_mysql(dtype: exp.DataType) -> tuple[str, str, Kind, tuple[str, ...] | None]:
    """(the type as MySQL names it, its PostgreSQL spelling, kind, enum labels)."""
    data_type, column_type = mysql_spelling(dtype)
    base, kind, labels = describe_mysql_type(data_type, column_type)
    return column_type, base, kind, labels


# sqlglot's type → DuckDB's own name for it (``duckdb_columns().data_type``).
_DUCKDB: dict[DType, str] = {
    DType.INT: "INTEGER", DType.TEXT: "VARCHAR", DType.VARCHAR: "VARCHAR", DType.CHAR: "VARCHAR",
    DType.BPCHAR: "VARCHAR", DType.FLOAT: "FLOAT", DType.DOUBLE: "DOUBLE",
    DType.TIMESTAMPNTZ: "TIMESTAMP", DType.TIMESTAMP: "TIMESTAMP",
    DType.TIMESTAMPTZ: "TIMESTAMP WITH TIME ZONE", DType.VARBINARY: "BLOB", DType.BLOB: "BLOB",
    DType.INT128: "HUGEINT", DType.UINT: "UINTEGER", DType.JSONB: "JSON",
}  # fmt: skip


def duckdb_spelling(dtype: exp.DataType) -> str:
    if dtype.this is DType.ARRAY:
        inner = dtype.expressions[0] if dtype.expressions else None
        return (duckdb_spelling(inner) if isinstance(inner, exp.DataType) else "VARCHAR") + "[]"
    name = _DUCKDB.get(dtype.this)
    if name is not None:
        return name
    if dtype.this is DType.DECIMAL and not dtype.expressions:
        return "DECIMAL(18,3)"  # DuckDB's default precision and scale
    text = dtype.sql(dialect="duckdb")
    return text.replace(", ", ",") if dtype.this is DType.DECIMAL else text


def describe_duckdb(dtype: exp.DataType) -> tuple[str, str, Kind, tuple[str, ...] | None]:
    duck_type = duckdb_spelling(dtype)
    base, kind, labels = describe_duckdb_type(duck_type)
    return duck_type, base, kind, labels
