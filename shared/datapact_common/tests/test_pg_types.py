"""The type map: parsing PostgreSQL type names and matching them exactly (no substrings)."""

from __future__ import annotations

import pytest

from datapact_common.contract_schema import DataType
from datapact_common.pg_types import _ALIASES, data_type_of, parse_pg_type, type_matches


@pytest.mark.parametrize(
    ("raw", "name", "params", "dims"),
    [
        ("VARCHAR(255)", "varchar", (255,), 0),
        ("character varying(20)", "varchar", (20,), 0),
        ("VARCHAR", "varchar", (), 0),
        ("CHAR(3)", "char", (3,), 0),
        ("bpchar", "char", (), 0),
        ("NUMERIC(10, 2)", "numeric", (10, 2), 0),
        ("numeric(5,0)", "numeric", (5, 0), 0),
        ("DECIMAL", "numeric", (), 0),
        ("int4", "integer", (), 0),
        ("INT8", "bigint", (), 0),
        ("serial", "integer", (), 0),
        ("DOUBLE PRECISION", "double precision", (), 0),
        ("float8", "double precision", (), 0),
        ("float(4)", "real", (), 0),
        ("float(53)", "double precision", (), 0),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz", (), 0),
        ("timestamp(3) with time zone", "timestamptz", (3,), 0),
        ("TIMESTAMP WITHOUT TIME ZONE", "timestamp", (), 0),
        ("TIMESTAMP", "timestamp", (), 0),
        ("timestamptz", "timestamptz", (), 0),
        ("TIME WITH TIME ZONE", "timetz", (), 0),
        ("INTERVAL", "interval", (), 0),
        ("interval day to second", "interval", (), 0),
        ("INTEGER[]", "integer", (), 1),
        ("TEXT[][]", "text", (), 2),
        ("_int4", "integer", (), 1),
        ("ARRAY", "array", (), 1),
    ],
)
def test_parses_inspector_and_postgres_spellings(
    raw: str, name: str, params: tuple[int, ...], dims: int
) -> None:
    parsed = parse_pg_type(raw)
    assert (parsed.name, parsed.params, parsed.array_dims) == (name, params, dims)
    assert parsed.known


@pytest.mark.parametrize("raw", ["point", "NULL", "USER-DEFINED", "bit varying(5)", "mpaa_rating"])
def test_unknown_types_stay_unknown(raw: str) -> None:
    parsed = parse_pg_type(raw)
    assert not parsed.known or parsed.name not in {"integer", "varchar", "text"}
    for data_type in DataType:
        if data_type is not DataType.ARRAY:
            assert not type_matches(data_type, parsed)


@pytest.mark.parametrize(
    "raw", ["INTERVAL", "point", "POINT", "interval day to second", "int4range"]
)
def test_types_that_contain_int_are_not_integers(raw: str) -> None:
    assert not type_matches(DataType.INTEGER, parse_pg_type(raw))


@pytest.mark.parametrize(
    ("data_type", "raw", "ok"),
    [
        (DataType.STRING, "VARCHAR(255)", True),
        (DataType.STRING, "VARCHAR(10)", True),
        (DataType.STRING, "TEXT", True),
        (DataType.STRING, "CHAR(3)", True),
        (DataType.STRING, "VARCHAR(255)[]", False),
        (DataType.STRING, "UUID", False),
        (DataType.INTEGER, "INTEGER", True),
        (DataType.INTEGER, "BIGINT", True),
        (DataType.INTEGER, "SMALLINT", True),
        (DataType.INTEGER, "NUMERIC(10, 0)", False),
        (DataType.INTEGER, "INTEGER[]", False),
        (DataType.DECIMAL, "NUMERIC(10, 2)", True),
        (DataType.DECIMAL, "NUMERIC", True),
        (DataType.DECIMAL, "DOUBLE PRECISION", False),
        (DataType.DECIMAL, "MONEY", False),
        (DataType.FLOAT, "DOUBLE PRECISION", True),
        (DataType.FLOAT, "REAL", True),
        (DataType.FLOAT, "NUMERIC(10, 2)", False),
        (DataType.BOOLEAN, "BOOLEAN", True),
        (DataType.BOOLEAN, "BIT", False),
        (DataType.DATE, "DATE", True),
        (DataType.DATE, "TIMESTAMP WITHOUT TIME ZONE", False),
        (DataType.TIMESTAMP, "TIMESTAMP WITH TIME ZONE", True),
        (DataType.TIMESTAMP, "TIMESTAMP WITHOUT TIME ZONE", False),
        (DataType.TIMESTAMP, "TIMESTAMP", False),
        (DataType.DATETIME, "TIMESTAMP WITHOUT TIME ZONE", True),
        (DataType.DATETIME, "TIMESTAMP", True),
        (DataType.DATETIME, "TIMESTAMP WITH TIME ZONE", False),
        (DataType.TIMESTAMP, "TIME WITH TIME ZONE", False),
        (DataType.UUID, "UUID", True),
        (DataType.UUID, "VARCHAR(36)", False),
        (DataType.JSON, "JSONB", True),
        (DataType.JSON, "JSON", True),
        (DataType.JSON, "TEXT", False),
        (DataType.ARRAY, "INTEGER[]", True),
        (DataType.ARRAY, "ARRAY", True),
        (DataType.ARRAY, "_text", True),
        (DataType.ARRAY, "TEXT", False),
        (DataType.BINARY, "BYTEA", True),
        (DataType.BINARY, "bytea", True),
        (DataType.BINARY, "TEXT", False),
        (DataType.STRING, "BYTEA", False),
        (DataType.FULL_TEXT, "TSVECTOR", True),
        (DataType.FULL_TEXT, "TEXT", False),
        (DataType.STRING, "TSVECTOR", False),
        (DataType.ENUM, "enum", True),
        (DataType.ENUM, "VARCHAR(10)", True),
        (DataType.ENUM, "INTEGER", False),
        (DataType.STRING, "enum", False),
    ],
)
def test_exact_type_map(data_type: DataType, raw: str, ok: bool) -> None:
    assert type_matches(data_type, parse_pg_type(raw)) is ok


@pytest.mark.parametrize("name", sorted(set(_ALIASES) | {"text[]", "enum[]", "integer[][]"}))
def test_the_data_type_drafted_for_a_column_passes_the_type_check(name: str) -> None:
    """What ``datapact init`` writes for a column type is a type the monitor accepts for it."""
    data_type = data_type_of(name)
    if name in ("interval", "time", "timetz"):  # no contract data type holds them
        assert data_type is None
        return
    assert data_type is not None
    assert type_matches(data_type, parse_pg_type(name)), (name, data_type)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("character varying(40)", DataType.STRING),
        ("timestamp without time zone", DataType.DATETIME),
        ("timestamp(3) with time zone", DataType.TIMESTAMP),
        ("numeric(5, 2)", DataType.DECIMAL),
        ("enum", DataType.ENUM),
        ("text[]", DataType.ARRAY),
        ("tsvector", DataType.FULL_TEXT),
        ("interval", None),
        ("time without time zone", None),
        ("point", None),
        ("money", None),
    ],
)
def test_data_type_of(name: str, expected: DataType | None) -> None:
    assert data_type_of(name) is expected
