"""Plain SQL DDL (sqlglot): migration scripts statement by statement, schema files as tables."""

from __future__ import annotations

from pathlib import Path

from datapact_common.analysis.changes import SchemaChangeKind as K
from datapact_common.analysis.changes import SourceKind
from datapact_common.analysis.sql_ddl import sql_changes, sql_tables
from datapact_common.analysis.table_model import diff_tables
from datapact_common.contract_schema import DataType

MIGRATIONS = Path(__file__).parent / "fixtures" / "migrations"


def test_flyway_migration_with_a_function_body_and_an_index() -> None:
    text = (MIGRATIONS / "V3__orders_currency.sql").read_text()
    changes, problems = sql_changes(text, "db/V3.sql")
    assert problems == []  # the $$ function body and the index are not DDL on tables
    rows = [(c.location.start_line, c.kind, c.column) for c in changes]
    assert rows == [
        (3, K.COLUMN_ADDED, "currency"),
        (5, K.COLUMN_TYPE_CHANGED, "total"),
        (6, K.COLUMN_NULLABLE_CHANGED, "customer_email"),
        (7, K.COLUMN_DROPPED, "notes"),
        (8, K.COLUMN_RENAMED, "shipped"),
        (17, K.INDEX_CREATED, None),
    ]
    currency = changes[0].column_spec
    assert currency is not None
    assert (currency.data_type, currency.nullable, currency.has_default) == (
        DataType.STRING, False, True,
    )  # fmt: skip
    assert changes[1].data_type is DataType.DECIMAL
    assert changes[2].nullable is True
    assert changes[4].new_name == "shipped_at"


def test_every_statement_kind() -> None:
    sql = """CREATE TABLE public.events (id uuid PRIMARY KEY, body jsonb, at timestamptz NOT NULL);
ALTER TABLE events ADD COLUMN a int, DROP COLUMN body;
ALTER TABLE events ALTER COLUMN a SET NOT NULL;
ALTER TABLE public.events RENAME TO happenings;
DROP TABLE IF EXISTS old_one, old_two;
"""
    changes, problems = sql_changes(sql, "s.sql")
    assert problems == []
    kinds = [(c.kind, c.table, c.column or c.new_name) for c in changes]
    assert kinds == [
        (K.TABLE_CREATED, "public.events", None),
        (K.COLUMN_ADDED, "events", "a"),
        (K.COLUMN_DROPPED, "events", "body"),
        (K.COLUMN_NULLABLE_CHANGED, "events", "a"),
        (K.TABLE_RENAMED, "public.events", "public.happenings"),
        (K.TABLE_DROPPED, "old_one", None),
        (K.TABLE_DROPPED, "old_two", None),
    ]
    columns = {c.name: c for c in changes[0].columns}
    assert columns["id"].primary_key and not columns["id"].nullable
    assert columns["body"].data_type is DataType.JSON
    assert columns["at"].data_type is DataType.TIMESTAMP and not columns["at"].nullable


def test_types_are_matched_exactly_not_by_substring() -> None:
    sql = "ALTER TABLE t ALTER COLUMN a TYPE interval; ALTER TABLE t ALTER COLUMN b TYPE point;"
    changes, _ = sql_changes(sql, "s.sql")
    assert [c.data_type for c in changes] == [None, None]


def test_ddl_it_cannot_read_is_reported_and_the_rest_still_counts() -> None:
    sql = "ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ALTER COLUMN a DROP EXPRESSION;\n"
    changes, problems = sql_changes(sql, "s.sql")
    assert [c.column for c in changes] == ["a"]
    assert problems and problems[0].line == 2


def test_declarative_schema_file_diffed_between_base_and_head() -> None:
    base = """CREATE TABLE orders (
    id bigint PRIMARY KEY,
    email varchar(255) NOT NULL,
    notes text
);
"""
    head = """CREATE TABLE orders (
    id bigint PRIMARY KEY,
    email varchar(255),
    total numeric(10, 2) NOT NULL
);

CREATE TABLE refunds (id bigint PRIMARY KEY);
"""
    base_tables, _ = sql_tables(base, "schema.sql")
    head_tables, _ = sql_tables(head, "schema.sql")
    changes = diff_tables(base_tables, head_tables, "schema.sql", SourceKind.SQL)
    rows = [(c.kind, c.column or c.table, c.location.start_line) for c in changes]
    assert (K.COLUMN_DROPPED, "notes", 1) in rows
    assert (K.COLUMN_NULLABLE_CHANGED, "email", 3) in rows
    assert (K.COLUMN_ADDED, "total", 4) in rows
    assert (K.TABLE_CREATED, "refunds", 7) in rows
    assert len(rows) == 4
