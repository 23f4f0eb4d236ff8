"""Keys and physical types in the PR check: a unique constraint dropped by a name that tells
its column, a primary key added, and a retype judged against the field's ``physical_type``."""

from __future__ import annotations

from typing import Any

import pytest

from datapact_common.analysis.changes import SchemaChangeKind
from datapact_common.analysis.pr_delta import ChangedFile, schema_delta
from datapact_common.analysis.sql_constraints import unique_name_columns
from datapact_common.analysis.type_map import physical_type_text
from datapact_common.analysis.verdict import Level


def sql(text: str, path: str = "db/migrations/V9__change.sql") -> list[ChangedFile]:
    return [ChangedFile(path, "added", None, text)]


def alembic(upgrade: str) -> list[ChangedFile]:
    body = "\n".join(f"    {line}" for line in upgrade.strip().splitlines())
    text = (
        '"""change\n\nRevision ID: 7c1d2e3f4a5b\nRevises: 5e1c0a7d9b21\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        'revision = "7c1d2e3f4a5b"\ndown_revision = "5e1c0a7d9b21"\n\n\n'
        f"def upgrade() -> None:\n{body}\n"
    )
    return [ChangedFile("alembic/versions/7c1d2e3f4a5b_change.py", "added", None, text)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("customers_email_key", ["email"]),
        ("uq_customers_email", ["email"]),
        ("UQ_EMAIL", ["email"]),
        ("customers_email_uniq", ["email"]),
        ("customers_full_name_key", []),  # not a unique field
        ("customers_email_full_name_key", []),  # a two-column constraint
        ("some_constraint", []),
    ],
)
def test_a_unique_constraint_name_tells_its_column(name: str, expected: list[str]) -> None:
    assert unique_name_columns(name, "shop.customers", ["email", "id"]) == expected


@pytest.mark.parametrize(
    "files",
    [
        sql("ALTER TABLE shop.customers DROP CONSTRAINT customers_email_key;"),
        sql("ALTER TABLE ONLY shop.customers DROP CONSTRAINT IF EXISTS uq_customers_email;"),
        alembic('op.drop_constraint("customers_email_key", "customers", schema="shop")'),
        alembic(
            'op.drop_constraint("uq_customers_email", "customers", schema="shop", type_="unique")'
        ),
    ],
    ids=["sql-pg-name", "sql-uq-prefix", "alembic-untyped", "alembic-unique"],
)
def test_dropping_the_unique_constraint_of_a_unique_field_is_breaking(
    kit: Any, files: list[ChangedFile]
) -> None:
    verdict = kit.verdict_of(files, kit.registered(kit.customers_contract()))
    [failure] = verdict.failures
    assert failure.title == "Unique constraint on shop.customers dropped"
    assert failure.fields == ["email"] and failure.breaking
    assert failure.subscribers == ["marketing"]
    assert verdict.conclusion == "failure"


def test_a_unique_drop_added_back_on_the_same_column_passes(kit: Any) -> None:
    files = sql(
        "ALTER TABLE shop.customers DROP CONSTRAINT customers_email_key;\n"
        "ALTER TABLE shop.customers ADD CONSTRAINT uq_customers_email UNIQUE (email);\n"
    )
    verdict = kit.verdict_of(files, kit.registered(kit.customers_contract()))
    assert verdict.conclusion == "success"


def test_a_constraint_whose_name_tells_nothing_stays_a_warning(kit: Any) -> None:
    files = sql("ALTER TABLE shop.customers DROP CONSTRAINT customers_contact_rule;")
    verdict = kit.verdict_of(files, kit.registered(kit.customers_contract()))
    [warning] = [f for f in verdict.warnings if f.contract == "shop_customers"]
    assert "cannot tell from its name which columns" in warning.message
    assert verdict.conclusion == "success"


def test_a_primary_key_added_where_the_contract_declares_none_is_a_warning(kit: Any) -> None:
    contract = kit.customers_contract()
    contract["schema"][0]["is_primary_key"] = False
    files = sql("ALTER TABLE shop.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);")
    verdict = kit.verdict_of(files, kit.registered(contract))
    [warning] = [f for f in verdict.findings if f.contract == "shop_customers"]
    assert warning.level is Level.WARNING
    assert warning.title == "Primary key added on shop.customers"
    assert "breaking contract change (major bump)" in warning.message
    assert verdict.conclusion == "success"


def test_a_primary_key_on_other_columns_than_the_contract_s_is_breaking(kit: Any) -> None:
    files = alembic(
        'op.drop_constraint("customers_pkey", "customers", schema="shop", type_="primary")\n'
        'op.create_primary_key("customers_pkey", "customers", ["email"], schema="shop")'
    )
    verdict = kit.verdict_of(files, kit.registered(kit.customers_contract()))
    titles = [f.title for f in verdict.failures]
    assert titles == [
        "Primary key of shop.customers dropped",
        "Primary key of shop.customers is not the contract's",
    ]
    assert verdict.failures[1].fields == ["id"] and verdict.failures[1].breaking


def test_the_contract_s_own_primary_key_added_is_quiet(kit: Any) -> None:
    files = sql("ALTER TABLE shop.customers ADD PRIMARY KEY (id);")
    verdict = kit.verdict_of(files, kit.registered(kit.customers_contract()))
    assert [f for f in verdict.findings if f.contract == "shop_customers"] == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sa.Numeric(12, 4)", "numeric(12,4)"),
        ("sa.Numeric(precision=12, scale=4)", "numeric(12,4)"),
        ("sa.String(length=320)", "varchar(320)"),
        ("sa.DateTime(timezone=True)", "timestamptz"),
        ("postgresql.NUMERIC(10, 2)", "numeric(10,2)"),
        ("sa.SmallInteger()", "smallint"),
        ("DECIMAL(12, 4)", "decimal(12,4)"),
        ("TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE"),
        ("MoneyType(2)", None),
        ("sa.String(LENGTH)", None),
        (None, None),
    ],
)
def test_a_schema_source_s_type_as_sql_text(raw: str | None, expected: str | None) -> None:
    assert physical_type_text(raw) == expected


def _priced(physical_type: str) -> dict[str, Any]:
    return {
        "name": "shop_prices",
        "version": "1.0.0",
        "publisher": {"team": "pricing", "owner": "carol"},
        "table": "shop.prices",
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "amount", "data_type": "decimal", "physical_type": physical_type},
        ],
        "subscribers": [{"team": "finance", "fields_used": ["amount"]}],
    }


@pytest.mark.parametrize(
    "files",
    [
        sql("ALTER TABLE shop.prices ALTER COLUMN amount TYPE numeric(10,4);"),
        alembic('op.alter_column("prices", "amount", type_=sa.Numeric(10, 4), schema="shop")'),
    ],
    ids=["sql", "alembic"],
)
def test_a_retype_that_narrows_the_physical_type_is_breaking(
    kit: Any, files: list[ChangedFile]
) -> None:
    """numeric(10,2) -> numeric(10,4): still `decimal`, but 8 integer digits become 6."""
    verdict = kit.verdict_of(files, kit.registered(_priced("numeric(10,2)")))
    [failure] = verdict.failures
    assert failure.title == "Column shop.prices.amount type change is not in the contract"
    assert "`physical_type: numeric(10,2)`" in failure.message
    assert failure.breaking and failure.subscribers == ["finance"]


@pytest.mark.parametrize(
    "files",
    [
        sql("ALTER TABLE shop.prices ALTER COLUMN amount TYPE numeric(12,4);"),
        alembic(
            'op.alter_column("prices", "amount", type_=sa.Numeric(precision=12, scale=4), '
            'schema="shop")'
        ),
    ],
    ids=["sql", "alembic"],
)
def test_a_retype_that_widens_the_physical_type_is_a_warning(
    kit: Any, files: list[ChangedFile]
) -> None:
    """numeric(10,2) -> numeric(12,4): every value still fits (the classifier's widening)."""
    verdict = kit.verdict_of(files, kit.registered(_priced("numeric(10,2)")))
    assert verdict.failures == []
    [warning] = verdict.warnings
    assert warning.title == "Column shop.prices.amount widened beyond the contract's physical type"
    assert verdict.conclusion == "success"


def test_a_retype_to_the_contract_s_physical_type_spelled_otherwise_is_quiet(kit: Any) -> None:
    files = sql("ALTER TABLE shop.prices ALTER COLUMN amount TYPE DECIMAL(12, 4);")
    verdict = kit.verdict_of(files, kit.registered(_priced("numeric(12,4)")))
    assert verdict.failures == [] and verdict.warnings == []


def test_without_a_physical_type_the_data_type_alone_decides(kit: Any) -> None:
    contract = _priced("numeric(10,2)")
    del contract["schema"][1]["physical_type"]
    files = sql("ALTER TABLE shop.prices ALTER COLUMN amount TYPE numeric(10,4);")
    verdict = kit.verdict_of(files, kit.registered(contract))
    assert verdict.failures == []
    assert [f.level for f in verdict.findings if f.contract == "shop_prices"] == [Level.NOTICE]


@pytest.mark.parametrize(
    "statement",
    [
        "DROP INDEX email ON shop.customers;",
        "ALTER TABLE shop.customers DROP INDEX email;",
        "ALTER TABLE shop.customers DROP INDEX uq_customers_email;",
    ],
)
def test_a_mysql_unique_key_dropped_by_name_is_breaking(kit: Any, statement: str) -> None:
    """MySQL names `UNIQUE (email)` `email`; its DROP INDEX … ON names the table."""
    verdict = kit.verdict_of(
        [ChangedFile("db/V9__keys.sql", "added", None, statement)],
        kit.registered(kit.customers_contract()),
    )
    [failure] = verdict.failures
    assert failure.title == "Unique index on shop.customers dropped"
    assert failure.fields == ["email"] and failure.breaking


def test_an_index_whose_name_tells_no_unique_field_stays_a_warning(kit: Any) -> None:
    files = sql("DROP INDEX customers_full_name_idx ON shop.customers;")
    verdict = kit.verdict_of(files, kit.registered(kit.customers_contract()))
    assert verdict.failures == []
    [warning] = [f for f in verdict.warnings if f.contract == "shop_customers"]
    assert warning.title == "Index customers_full_name_idx dropped on shop.customers"


def test_mysql_drop_key_names_its_table() -> None:
    delta = schema_delta(sql("ALTER TABLE shop.customers DROP KEY email;"), dialect="mysql")
    assert [(c.kind, c.table, c.constraint) for c in delta.changes] == [
        (SchemaChangeKind.INDEX_DROPPED, "shop.customers", "email")
    ]


@pytest.mark.parametrize(
    ("column", "level"),
    [("amount numeric(10,4)", Level.FAILURE), ("amount numeric(12,4)", Level.WARNING)],
)
def test_a_new_table_s_column_is_judged_against_the_physical_type(
    kit: Any, column: str, level: Level
) -> None:
    files = sql(f"CREATE TABLE shop.prices (id integer PRIMARY KEY, {column});")
    verdict = kit.verdict_of(files, kit.registered(_priced("numeric(10,2)")))
    [finding] = [f for f in verdict.findings if f.fields == ["amount"]]
    assert finding.level is level
    assert "physical_type: numeric(10,2)" in finding.message


def test_a_new_table_s_column_of_the_contract_s_physical_type_is_quiet(kit: Any) -> None:
    files = sql("CREATE TABLE shop.prices (id integer PRIMARY KEY, amount DECIMAL(10, 2));")
    verdict = kit.verdict_of(files, kit.registered(_priced("numeric(10,2)")))
    assert [f for f in verdict.findings if f.fields == ["amount"]] == []
