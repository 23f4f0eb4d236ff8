"""`datapact init --from-sql`: a DDL file read by the PR check's own SQL reader gives the same
contracts as `--from-db` on the database that DDL built — PostgreSQL (the hand-written schema
and its `pg_dump --schema-only`), MariaDB and DuckDB."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from click.testing import Result

from datapact_common.drafting.ddl import read_ddl
from datapact_testing import postgres as pg

Cli = Callable[..., Result]
FIXTURES = Path(__file__).parent / "fixtures"


def _drafts(cli: Cli, out: Path, *source: str) -> dict[str, str]:
    """Each written file without its first line (which names the source)."""
    result = cli("init", *source, "--out", str(out))
    assert result.exit_code == 0, result.output
    return {
        path.name: path.read_text(encoding="utf-8").split("\n", 1)[1]
        for path in sorted(out.iterdir())
    }


def _pg_dump(url: str, path: Path) -> Path:
    binary = shutil.which("pg_dump")
    if binary is None:
        pytest.skip("pg_dump is not installed")
    dumped = subprocess.run(
        [binary, "--schema-only", "--no-owner", url], capture_output=True, text=True, check=False
    )
    if dumped.returncode != 0:  # e.g. a pg_dump older than the server
        pytest.skip(f"pg_dump failed: {dumped.stderr.strip()[:200]}")
    path.write_text(dumped.stdout, encoding="utf-8")
    return path


def test_postgres_ddl_and_its_dump_agree_with_the_database(
    cli: Cli, library_url: str, tmp_path: Path
) -> None:
    from_db = _drafts(cli, tmp_path / "db", "--from-db", library_url)
    assert len(from_db) == 7  # tables, a partitioned table, a view, a materialized view
    written = _drafts(cli, tmp_path / "ddl", "--from-sql", str(FIXTURES / "postgres_schema.sql"))
    assert written == from_db
    dump = _pg_dump(library_url, tmp_path / "dump.sql")
    assert _drafts(cli, tmp_path / "dump", "--from-sql", str(dump)) == from_db


def test_mariadb_ddl_agrees_with_the_database(
    cli: Cli, library_mariadb_url: str, tmp_path: Path
) -> None:
    from_db = _drafts(cli, tmp_path / "db", "--from-db", library_mariadb_url)
    ddl = str(FIXTURES / "mariadb_schema.sql")
    assert _drafts(cli, tmp_path / "ddl", "--from-sql", ddl, "--dialect", "mariadb") == from_db


def test_duckdb_ddl_agrees_with_the_database(
    cli: Cli, library_duckdb_url: str, tmp_path: Path
) -> None:
    from_db = _drafts(cli, tmp_path / "db", "--from-db", library_duckdb_url)
    ddl = str(FIXTURES / "duckdb_schema.sql")
    assert _drafts(cli, tmp_path / "ddl", "--from-sql", ddl, "--dialect", "duckdb") == from_db


_TYPES = [
    "integer", "int4", "smallint", "int8", "bigserial", "serial", "real", "float4", "float8",
    "float(10)", "float(40)", "double precision", "numeric", "numeric(8,2)", "numeric(8)",
    "decimal(5,1)", "varchar", "varchar(60)", "character varying(9)", "char", "char(2)",
    "character(3)", "text", "boolean", "date", "timestamp", "timestamp(3)", "timestamptz",
    "timestamp(3) with time zone", "timestamp without time zone", "time", "time(2)", "timetz",
    "interval", "uuid", "json", "jsonb", "bytea", "tsvector", "point", "money", "inet", "cidr",
    "xml", "text[]", "integer[][]", "bit(3)", "macaddr",
]  # fmt: skip


def test_every_postgres_type_is_spelled_as_the_catalogue_spells_it() -> None:
    """The DDL's type, spelled by `ddl_types`, is `format_type()` of the column it creates."""
    columns = ", ".join(f"c{i} {t}" for i, t in enumerate(_TYPES))
    ddl = f"CREATE TABLE spelled ({columns});"
    name = pg.test_database_name("test_cli_spelling")
    pg.create_database(name)
    try:
        with psycopg.connect(pg.sync_dsn(name), autocommit=True) as connection:
            connection.execute(ddl.encode())
            rows = connection.execute(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'spelled'::regclass AND attnum > 0 ORDER BY attnum"
            ).fetchall()
    finally:
        pg.drop_database(name)
    catalogue = dict(rows)
    read = read_ddl(ddl).tables["spelled"].columns
    assert {c: read[c].type for c in catalogue} == catalogue


_MIGRATED = """
CREATE TABLE orders (id serial PRIMARY KEY, total numeric(10, 2), note text, old_code text);
CREATE TABLE customers (id bigint PRIMARY KEY, email text);
ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers (id);
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);
ALTER TABLE orders ALTER COLUMN total SET NOT NULL;
ALTER TABLE orders DROP COLUMN old_code;
ALTER TABLE orders RENAME COLUMN note TO remark;
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
CREATE UNIQUE INDEX customers_email ON customers (email);
CREATE UNIQUE INDEX orders_open ON orders (remark) WHERE total > 0;
CREATE TABLE snapshot AS SELECT * FROM orders;
DO $$ BEGIN ALTER TABLE orders ADD COLUMN hidden int; END $$;
COMMENT ON COLUMN nowhere.x IS 'lost';
"""


def test_a_migration_shaped_file_is_applied_in_order(
    cli: Cli, tmp_path: Path, document: Callable[[Path], dict[str, object]]
) -> None:
    source = tmp_path / "schema.sql"
    source.write_text(_MIGRATED, encoding="utf-8")
    out = tmp_path / "c"
    result = cli("init", "--from-sql", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    orders = {f["name"]: f for f in document(out / "orders.yaml")["schema"]}  # type: ignore[union-attr]
    assert list(orders) == ["id", "total", "remark", "customer_id"]
    assert orders["id"]["nullable"] is False
    assert orders["total"]["physical_type"] == "numeric(12,2)"
    assert orders["total"]["nullable"] is False
    assert orders["total"]["constraints"] == [{"type": "min", "value": 0}]
    assert orders["customer_id"]["foreign_key_reference"] == "customers.id"
    assert "unique" not in orders["remark"]  # a partial index: not a unique column
    customers = {f["name"]: f for f in document(out / "customers.yaml")["schema"]}  # type: ignore[union-attr]
    assert customers["email"]["unique"] is True
    assert "table 'snapshot': its columns are not declared" in result.stderr
    assert "schema.sql: line 13: DDL statement not understood" in result.stderr
    assert "line 14: table 'nowhere' is not created in this file" in result.stderr


def test_bad_input_is_named(cli: Cli, tmp_path: Path) -> None:
    missing = cli("init", "--from-sql", str(tmp_path / "nope.sql"), "--out", str(tmp_path / "c"))
    assert missing.exit_code == 3
    assert "nope.sql: no such file" in missing.stderr
    ddl = tmp_path / "s.sql"
    ddl.write_text("CREATE TABLE t (id int PRIMARY KEY, spot point);", encoding="utf-8")
    dialect = cli("init", "--from-sql", str(ddl), "--dialect", "oracle", "--out", str(tmp_path))
    assert dialect.exit_code == 2
    assert "unknown SQL dialect 'oracle'" in dialect.stderr
    both = cli("init", "--from-sql", str(ddl), "--from-db", "duckdb:///x", "--out", str(tmp_path))
    assert both.exit_code == 2
    unknown = cli("init", "--from-sql", str(ddl), "--table", "nope", "--out", str(tmp_path / "c"))
    assert unknown.exit_code == 3
    assert "table 'nope' not found in schema 'public'" in unknown.stderr
    typed = cli("init", "--from-sql", str(ddl), "--out", str(tmp_path / "c"))
    assert typed.exit_code == 0
    assert "column 't.spot': type point has no contract data type; left out" in typed.stderr
    empty = tmp_path / "empty.sql"
    empty.write_text("SELECT 1;", encoding="utf-8")
    nothing = cli("init", "--from-sql", str(empty), "--out", str(tmp_path / "d"))
    assert nothing.exit_code == 3
    assert not (tmp_path / "d").exists()
