"""Analysis that fails closed: nothing skipped silently, no-effect statements quiet, keys,
unique constraints and indexes classified, raw SQL in migrations read, enum values warned."""

from __future__ import annotations

from typing import Any

import pytest

from datapact_common.analysis.changes import SchemaChangeKind as K
from datapact_common.analysis.pr_delta import ChangedFile, schema_delta
from datapact_common.analysis.verdict import Category, Level, Unchecked

DUMP = "db/schema.sql"


def dump_change(base: str, head: str) -> list[ChangedFile]:
    return [ChangedFile(DUMP, "modified", base, head)]


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def test_a_whole_pg_dump_reads_without_a_single_not_checked(pg_dump: str) -> None:
    head = edit(
        pg_dump,
        "    updated_at timestamp with time zone\n",
        "    updated_at timestamp with time zone,\n    note text\n",
    )
    delta = schema_delta(dump_change(pg_dump, head))
    assert delta.problems == []  # ~20 OWNER TO/GRANT/COMMENT/SET/set_config lines: quiet
    assert [(c.kind, c.table, c.column) for c in delta.changes] == [
        (K.COLUMN_ADDED, "shop.orders", "note")
    ]


def test_a_column_of_a_table_with_a_virtual_generated_column_is_seen(
    pg_dump: str, kit: Any
) -> None:
    head = edit(pg_dump, "    tax_amount numeric(12,2) NOT NULL,\n", "")
    head = edit(
        head,
        "GENERATED ALWAYS AS ((net_amount + tax_amount)) VIRTUAL",
        "GENERATED ALWAYS AS (net_amount) VIRTUAL",
    )
    head = edit(
        head, "    net_amount numeric(12,2) NOT NULL,\n", "    net_amount integer NOT NULL,\n"
    )
    verdict = kit.verdict_of(dump_change(pg_dump, head), kit.registered(kit.orders_contract()))
    kinds = {(c.kind, c.column) for c in verdict.schema_changes}
    assert (K.COLUMN_DROPPED, "tax_amount") in kinds
    assert (K.COLUMN_TYPE_CHANGED, "net_amount") in kinds
    assert verdict.conclusion == "failure"
    retyped = next(f for f in verdict.failures if "net_amount" in f.title)
    assert retyped.subscribers == ["finance"]


def test_a_changed_column_the_parser_cannot_read_makes_the_verdict_neutral(
    pg_dump: str, kit: Any
) -> None:
    base = edit(
        pg_dump,
        "    updated_at timestamp with time zone\n",
        "    updated_at timestamp with time zone,\n    memo text COMPRESSION pglz\n",
    )
    head = edit(base, "memo text COMPRESSION pglz", "memo text COMPRESSION lz4")
    registry = kit.registered(kit.orders_contract())
    verdict = kit.verdict_of(dump_change(base, head), registry)
    assert verdict.conclusion == "neutral"
    [unread] = verdict.unchecked
    assert unread.level is Level.WARNING and unread.category is Category.NOT_UNDERSTOOD
    assert unread.message.startswith("table shop.orders: column memo not understood")
    assert unread.contract == "shop_orders"
    assert (
        unread.location.start_line == head.splitlines().index("    memo text COMPRESSION lz4") + 1
    )
    strict = kit.verdict_of(dump_change(base, head), registry, Unchecked.FAILURE)
    assert strict.conclusion == "failure"


def test_an_unreadable_column_that_did_not_change_is_a_notice_and_its_table_still_diffs(
    pg_dump: str, kit: Any
) -> None:
    base = edit(
        pg_dump,
        "    updated_at timestamp with time zone\n",
        "    updated_at timestamp with time zone,\n    memo text COMPRESSION lz4\n",
    )
    head = edit(base, "    customer_id bigint NOT NULL,\n    status", "    status")
    verdict = kit.verdict_of(dump_change(base, head), kit.registered(kit.orders_contract()))
    assert verdict.conclusion == "failure"  # customer_id is still in the contract
    assert any(
        f.title == "Dropped column shop.orders.customer_id is still in the contract"
        for f in verdict.failures
    )
    [note] = [f for f in verdict.findings if f.category is Category.NOT_UNDERSTOOD]
    assert note.level is Level.NOTICE and not note.unchecked


def test_an_unreadable_change_on_a_table_no_contract_describes_is_only_a_notice(
    pg_dump: str, kit: Any
) -> None:
    base = edit(pg_dump, "    sku text NOT NULL,\n", "    sku text COMPRESSION pglz NOT NULL,\n")
    head = edit(base, "COMPRESSION pglz", "COMPRESSION lz4")
    verdict = kit.verdict_of(dump_change(base, head), kit.registered(kit.orders_contract()))
    assert verdict.conclusion == "success"
    [note] = [f for f in verdict.findings if f.category is Category.NOT_UNDERSTOOD]
    assert (
        note.level is Level.NOTICE
        and "no contract describes table `shop.order_lines`" in note.message
    )


def test_primary_key_and_unique_constraints_of_a_dump_are_read_and_their_drops_break(
    pg_dump: str, kit: Any
) -> None:
    head = edit(
        pg_dump,
        "ALTER TABLE ONLY shop.customers\n    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);\n",
        "",
    )
    head = edit(
        head,
        "ALTER TABLE ONLY shop.customers\n    ADD CONSTRAINT customers_email_key UNIQUE (email);\n",
        "",
    )
    head = edit(
        head, "CREATE INDEX orders_placed_at_idx ON shop.orders USING btree (placed_at DESC);\n", ""
    )
    head += (
        "\nCREATE UNIQUE INDEX CONCURRENTLY customers_lower_email_idx"
        " ON ONLY shop.customers USING btree (lower((email)::text));\n"
    )
    verdict = kit.verdict_of(dump_change(pg_dump, head), kit.registered(kit.customers_contract()))
    changes = {(c.kind, c.table, c.key_columns) for c in verdict.schema_changes}
    assert (K.PRIMARY_KEY_DROPPED, "shop.customers", ("id",)) in changes
    assert (K.UNIQUE_DROPPED, "shop.customers", ("email",)) in changes
    assert (K.UNIQUE_ADDED, "shop.customers", ("lower((email)::text)",)) in changes
    assert (K.INDEX_DROPPED, "shop.orders", ("placed_at",)) in changes
    titles = {f.title: f for f in verdict.failures}
    assert titles["Primary key of shop.customers dropped"].fields == ["id"]
    dropped_unique = titles["Unique constraint on shop.customers dropped"]
    assert dropped_unique.breaking and dropped_unique.subscribers == ["marketing"]


def test_a_migration_that_drops_a_primary_key_by_name_is_breaking(kit: Any) -> None:
    sql = (
        "-- V7: orders are keyed by (id, region) from now on\n"
        "ALTER TABLE shop.orders DROP CONSTRAINT orders_pkey;\n"
        "ALTER TABLE ONLY shop.orders ADD CONSTRAINT orders_region_pkey PRIMARY KEY (id, region);\n"
    )
    files = [ChangedFile("db/migrations/V7__orders_key.sql", "added", None, sql)]
    verdict = kit.verdict_of(files, kit.registered(kit.orders_contract()))
    assert [(c.kind, c.key_columns) for c in verdict.schema_changes] == [
        (K.PRIMARY_KEY_DROPPED, ()),
        (K.PRIMARY_KEY_ADDED, ("id", "region")),
    ]
    dropped, replaced = verdict.failures
    assert (
        dropped.title == "Primary key of shop.orders dropped" and dropped.location.start_line == 2
    )
    # the new key is not the contract's: what identifies a row changed (breaking)
    assert replaced.title == "Primary key of shop.orders is not the contract's"
    assert replaced.breaking and replaced.location.start_line == 3


def test_a_primary_key_recreated_on_the_same_columns_passes(kit: Any) -> None:
    sql = (
        "ALTER TABLE shop.orders DROP CONSTRAINT orders_pkey;\n"
        "ALTER TABLE shop.orders ADD CONSTRAINT orders_pk PRIMARY KEY (id);\n"
    )
    files = [ChangedFile("db/migrations/V8__rename_key.sql", "added", None, sql)]
    assert kit.verdict_of(files, kit.registered(kit.orders_contract())).conclusion == "success"


MIGRATION = '''"""customers: keys and indexes

Revision ID: 5e1c0a7d9b21
Revises: 3f2a9c1d7e55
"""
from alembic import op
import sqlalchemy as sa

revision = "5e1c0a7d9b21"
down_revision = "3f2a9c1d7e55"


def upgrade() -> None:
    op.drop_constraint("customers_email_key", "customers", schema="shop", type_="unique")
    op.create_index(op.f("ix_shop_customers_full_name"), "customers", ["full_name"], schema="shop")
    op.drop_index("orders_placed_at_idx", table_name="orders", schema="shop")
    with op.batch_alter_table("order_lines", schema="shop") as batch_op:
        batch_op.drop_constraint("order_lines_pkey", type_="primary")
        batch_op.create_unique_constraint("uq_order_lines_sku", ["order_id", "sku"])
    op.drop_constraint("orders_customer_id_fkey", "orders", schema="shop", type_="foreignkey")


def downgrade() -> None:
    op.create_unique_constraint("customers_email_key", "customers", ["email"], schema="shop")
'''


def test_alembic_key_and_index_operations_are_classified(kit: Any) -> None:
    files = [ChangedFile("alembic/versions/5e1c0a7d9b21_keys.py", "added", None, MIGRATION)]
    verdict = kit.verdict_of(files, kit.registered(kit.customers_contract()))
    assert [(c.kind, c.table, c.constraint, c.key_columns) for c in verdict.schema_changes] == [
        (K.UNIQUE_DROPPED, "shop.customers", "customers_email_key", ()),
        (K.INDEX_CREATED, "shop.customers", "ix_shop_customers_full_name", ("full_name",)),
        (K.INDEX_DROPPED, "shop.orders", "orders_placed_at_idx", ()),
        (K.PRIMARY_KEY_DROPPED, "shop.order_lines", "order_lines_pkey", ()),
        (K.UNIQUE_ADDED, "shop.order_lines", "uq_order_lines_sku", ("order_id", "sku")),
    ]  # the foreign key drop is nothing the verdict judges
    # customers_email_key is PostgreSQL's name for UNIQUE (email): the contract's promise
    [failure] = verdict.failures
    assert failure.title == "Unique constraint on shop.customers dropped"
    assert failure.contract == "shop_customers" and failure.fields == ["email"]
    assert failure.breaking and failure.subscribers == ["marketing"]
    assert verdict.conclusion == "failure"


RAW_SQL = '''"""orders: drop legacy columns with raw SQL

Revision ID: 9a8b7c6d5e4f
Revises: 5e1c0a7d9b21
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import text

revision = "9a8b7c6d5e4f"
down_revision = "5e1c0a7d9b21"

RETYPE = "ALTER TABLE shop.orders ALTER COLUMN net_amount TYPE double precision"


def upgrade() -> None:
    op.get_bind().execute(sa.text("ALTER TABLE shop.orders DROP COLUMN customer_id"))
    connection = op.get_bind()
    connection.execute(
        text(
            """
            ALTER TABLE shop.orders
                ALTER COLUMN status DROP NOT NULL
            """
        )
    )
    connection.exec_driver_sql(RETYPE)
    op.execute(sa.text("UPDATE shop.orders SET status = 'paid' WHERE status = 'placed'"))
    op.alter_column("orders", "placed_at", server_default=sa.text("now()"), schema="shop")


def downgrade() -> None:
    pass
'''


def test_raw_sql_however_a_migration_runs_it_is_read_like_a_sql_file(kit: Any) -> None:
    files = [ChangedFile("alembic/versions/9a8b7c6d5e4f_raw.py", "added", None, RAW_SQL)]
    verdict = kit.verdict_of(files, kit.registered(kit.orders_contract()))
    lines = RAW_SQL.splitlines()
    assert [(c.kind, c.column, c.location.start_line) for c in verdict.schema_changes] == [
        (K.COLUMN_DROPPED, "customer_id", 17),
        (K.COLUMN_NULLABLE_CHANGED, "status", 23),
        (K.COLUMN_TYPE_CHANGED, "net_amount", 27),
    ]
    assert "DROP COLUMN customer_id" in lines[16] and "DROP NOT NULL" in lines[22]
    assert verdict.conclusion == "failure"
    assert {f.title for f in verdict.failures} == {
        "Dropped column shop.orders.customer_id is still in the contract",
        "Column shop.orders.status may now be NULL",
        "Column shop.orders.net_amount type change is not in the contract",
    }
    assert not verdict.unchecked


def test_ddl_built_at_run_time_is_not_checked_and_the_verdict_is_neutral(kit: Any) -> None:
    text = (
        RAW_SQL.replace(
            '    op.get_bind().execute(sa.text("ALTER TABLE shop.orders DROP COLUMN customer_id"))',
            '    for column in ("customer_id",):\n'
            '        op.execute(f"ALTER TABLE shop.orders DROP COLUMN {column}")',
        )
        .replace("connection.exec_driver_sql(RETYPE)", "pass")
        .replace("ALTER COLUMN status DROP NOT NULL", "ALTER COLUMN status SET DEFAULT 'placed'")
    )
    files = [ChangedFile("alembic/versions/9a8b7c6d5e4f_raw.py", "added", None, text)]
    verdict = kit.verdict_of(files, kit.registered(kit.orders_contract()))
    assert verdict.conclusion == "neutral"
    [unread] = verdict.unchecked
    assert unread.message.startswith("SQL built at run time is not checked")


def test_alter_type_add_value_warns_about_the_enum_fields_that_lack_the_label(kit: Any) -> None:
    sql = "ALTER TYPE shop.order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'shipped';\n"
    files = [ChangedFile("db/migrations/V9__refunds.sql", "added", None, sql)]
    verdict = kit.verdict_of(files, kit.registered(kit.orders_contract()))
    [warning] = verdict.warnings
    assert warning.title == "Enum type shop.order_status gains a value"
    assert "'refunded'" in warning.message and "`shop_orders.status`" in warning.message
    assert verdict.conclusion == "success"


def test_statements_without_schema_effect_are_quiet_in_a_migration_too() -> None:
    sql = (
        "ALTER TABLE shop.orders OWNER TO shop_owner;\n"
        "GRANT SELECT ON shop.orders TO analyst;\n"
        "REVOKE ALL ON shop.orders FROM PUBLIC;\n"
        "COMMENT ON COLUMN shop.orders.status IS 'lifecycle';\n"
        "SET lock_timeout = '5s';\n"
        "SELECT pg_catalog.set_config('search_path', '', false);\n"
        "ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;\n"
        "ALTER TABLE shop.orders ALTER COLUMN status SET STATISTICS 500;\n"
        "ALTER TYPE shop.order_status OWNER TO shop_owner;\n"
        "DO $$ BEGIN EXECUTE 'ALTER TABLE shop.orders DROP COLUMN status'; END $$;\n"
    )
    delta = schema_delta([ChangedFile("db/migrations/V10__grants.sql", "added", None, sql)])
    assert delta.changes == []
    [problem] = delta.problems  # the DO block may change a table: never quiet
    assert problem.line == 10 and problem.unread_change


MODELS = """from sqlalchemy import Column, Integer, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None]


class Tenant(Base):
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower() + "s"

    id: Mapped[int] = mapped_column(primary_key=True)


class Audit(Base):
    __table__ = Table("audit", Base.metadata, Column("id", Integer, primary_key=True))
"""


def test_a_model_whose_table_cannot_be_named_is_reported_changed_or_not() -> None:
    path = "app/models.py"
    changed = MODELS.replace('return cls.__name__.lower() + "s"', "return cls.__name__.lower()")
    delta = schema_delta([ChangedFile(path, "modified", MODELS, changed)])
    by_model = {p.message.split(":")[0]: p for p in delta.problems}
    assert set(by_model) == {"model Tenant", "model Audit"}
    assert by_model["model Tenant"].unread_change  # its class changed
    assert not by_model["model Audit"].unread_change  # reads the same at the base
    assert delta.changes == []
    unchanged = schema_delta([ChangedFile(path, "modified", MODELS, MODELS + "\n# note\n")])
    assert all(not p.unread_change for p in unchanged.problems)


def test_psql_meta_commands_and_copy_data_do_not_swallow_the_next_statement() -> None:
    dump = (
        "\\restrict k3y\n"
        "CREATE TABLE public.t (id integer NOT NULL, note text);\n"
        "COPY public.t (id, note) FROM stdin;\n"
        "1\tALTER TABLE t DROP COLUMN note;\n"
        "\\.\n"
        "\\connect shop\n"
        "ALTER TABLE public.t DROP COLUMN note;\n"
        "\\unrestrict k3y\n"
    )
    delta = schema_delta([ChangedFile("db/V3__t.sql", "added", None, dump)])
    assert delta.problems == []
    assert [(c.kind, c.column, c.location.start_line) for c in delta.changes] == [
        (K.TABLE_CREATED, None, 2),
        (K.COLUMN_DROPPED, "note", 7),
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "DROP SCHEMA shop CASCADE;",
        "DROP TYPE shop.order_status CASCADE;",
        "DROP DOMAIN shop.money_amount CASCADE;",
        "DROP OWNED BY legacy_owner CASCADE;",
        "ALTER DOMAIN shop.money_amount DROP NOT NULL;",
        "ALTER DOMAIN shop.money_amount DROP CONSTRAINT money_amount_check;",
        "ALTER TYPE shop.order_status RENAME VALUE 'shipped' TO 'sent';",
    ],
)
def test_a_statement_reaching_tables_through_a_type_is_never_passed(kit: Any, sql: str) -> None:
    files = [ChangedFile("db/migrations/V11__types.sql", "added", None, sql + "\n")]
    verdict = kit.verdict_of(files, kit.registered(kit.orders_contract()))
    assert verdict.conclusion == "neutral", verdict
    [unread] = verdict.unchecked
    assert "reaches the tables using this schema, type or domain" in unread.message


def test_the_same_objects_without_cascade_or_with_harmless_actions_stay_quiet() -> None:
    sql = (
        "DROP TYPE shop.unused_status;\n"
        "DROP SCHEMA scratch;\n"
        "ALTER DOMAIN shop.money_amount OWNER TO shop_owner;\n"
        "ALTER DOMAIN shop.money_amount SET NOT NULL;\n"
        "ALTER TYPE shop.order_status RENAME TO order_state;\n"
    )
    delta = schema_delta([ChangedFile("db/migrations/V12__tidy.sql", "added", None, sql)])
    assert (delta.changes, delta.problems) == ([], [])
