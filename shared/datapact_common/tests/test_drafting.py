"""Drafting contracts from a catalogue: names, guessed PII, CHECKs read into constraints."""

from __future__ import annotations

from typing import Any

import pytest

from datapact_common.contract_schema import DataType
from datapact_common.documents import parse_contract
from datapact_common.drafting.checks import read_check
from datapact_common.drafting.generate import DraftOptions, draft_contracts
from datapact_common.drafting.naming import contract_name, unique_name
from datapact_common.drafting.pii import guess_pii
from datapact_common.drafting.review import review_items
from datapact_common.drafting.select import select_tables
from datapact_common.engines.base import CheckInfo, ColumnInfo, ForeignKeyInfo, Kind, TableInfo


@pytest.mark.parametrize(
    ("table", "name"),
    [
        ("film", "film"),
        ("sales.OrderLines", "orderlines"),
        ("2024 sales", "t_2024_sales"),
        ("../../etc/passwd", "etc_passwd"),
        ("a/b\\c", "a_b_c"),
        ("$$", None),
    ],
)
def test_contract_names_are_safe_file_names(table: str, name: str | None) -> None:
    assert contract_name(table) == name


def test_unique_names() -> None:
    assert unique_name("film", {"film", "film_2"}) == "film_3"


@pytest.mark.parametrize(
    ("column", "table", "guessed"),
    [
        ("email", "orders", True),
        ("customerEmail", "orders", True),
        ("billing_address", "orders", True),
        ("date_of_birth", "person", True),
        ("DOB", "person", True),
        ("ssn", "x", True),
        ("iban", "x", True),
        ("phone_number", "x", True),
        ("first_name", "film", True),
        ("name", "customer", True),
        ("name", "film", False),
        ("emailed", "x", False),
        ("title", "x", False),
        ("zip", "x", False),
        ("shipping_fee", "x", False),
    ],
)
def test_pii_is_guessed_word_by_word(column: str, table: str, guessed: bool) -> None:
    assert (guess_pii(column, table) is not None) is guessed


TYPES = {
    "price": DataType.DECIMAL, "qty": DataType.INTEGER, "code": DataType.STRING,
    "a": DataType.INTEGER, "b": DataType.INTEGER, "status": DataType.ENUM,
}  # fmt: skip


@pytest.mark.parametrize(
    ("dialect", "sql", "constraints"),
    [
        ("postgres", "(price >= (0)::numeric)", [("price", {"type": "min", "value": 0})]),
        ("postgres", "(qty > 0)", [("qty", {"type": "min", "value": 1})]),
        ("postgres", "(qty < 10)", [("qty", {"type": "max", "value": 9})]),
        ("postgres", "(10 >= qty)", [("qty", {"type": "max", "value": 10})]),
        (
            "postgres",
            "((qty >= 1) AND (qty <= 5))",
            [("qty", {"type": "min", "value": 1}), ("qty", {"type": "max", "value": 5})],
        ),
        (
            "duckdb",
            "(qty BETWEEN -1 AND 5)",
            [("qty", {"type": "min", "value": -1}), ("qty", {"type": "max", "value": 5})],
        ),
        (
            "postgres",
            "(code = ANY (ARRAY['x'::text, 'y'::text]))",
            [("code", {"type": "enum", "value": ["x", "y"]})],
        ),
        ("mysql", "`code` in ('x','y')", [("code", {"type": "enum", "value": ["x", "y"]})]),
        ("postgres", "(length((code)::text) <= 8)", [("code", {"type": "max_length", "value": 8})]),
        (
            "postgres",
            "(code ~ '^[A-Z]+$'::text)",
            [("code", {"type": "regex", "value": "^[A-Z]+$"})],
        ),
        (
            "postgres",
            "(price > (0)::numeric)",  # strict on a decimal: no min can say it
            [("price", {"type": "expression", "value": "price > 0"})],
        ),
        (
            "postgres",
            "((a < b) OR ((b IS NULL) AND (a > 2)))",
            [("a", {"type": "expression", "value": "a < b OR (b IS NULL AND a > 2)"})],
        ),
    ],
)
def test_checks_become_constraints(
    dialect: str, sql: str, constraints: list[tuple[str, dict[str, Any]]]
) -> None:
    reading = read_check(CheckInfo(sql=sql), dialect, TYPES)
    assert (reading.constraints, reading.left_out) == (constraints, [])


def test_a_domain_check_reads_value_as_its_column() -> None:
    check = CheckInfo(sql="((VALUE >= 1) AND (VALUE <= 9))", column="qty", name="d_check")
    assert read_check(check, "postgres", TYPES).constraints == [
        ("qty", {"type": "min", "value": 1}),
        ("qty", {"type": "max", "value": 9}),
    ]


@pytest.mark.parametrize(
    ("sql", "validated", "reason"),
    [
        ("(price > random())", True, "is not allowed in an expression"),
        ("(other_col > 0)", True, "reads column(s) not in the contract: other_col"),
        ("(qty > 0)", False, "declared NOT VALID"),
        ("(qty >", True, "not understood"),
    ],
)
def test_checks_that_cannot_be_kept_are_named(sql: str, validated: bool, reason: str) -> None:
    reading = read_check(CheckInfo(sql=sql, name="c1", validated=validated), "postgres", TYPES)
    assert reading.constraints == []
    assert len(reading.left_out) == 1 and reason in reading.left_out[0]
    assert reading.left_out[0].startswith("CHECK c1 (")


def _column(name: str, base: str, **extra: Any) -> ColumnInfo:
    kind = extra.pop("kind", Kind.NUMBER)
    extra.setdefault("nullable", True)
    return ColumnInfo(name=name, type=extra.pop("type", base), base_type=base, kind=kind, **extra)


def test_a_draft_is_a_valid_contract_with_its_review_lines() -> None:
    tables = {
        "customer": TableInfo(
            "customer",
            {
                "id": _column("id", "integer", nullable=False),
                "email": _column("email", "text", kind=Kind.TEXT, nullable=True),
            },
            primary_key=["id"],
            unique=[["email"]],
        ),
        "orders": TableInfo(
            "orders",
            {
                "id": _column("id", "bigint", nullable=False),
                "customer_id": _column("customer_id", "integer", nullable=True),
                "qty": _column("qty", "integer", nullable=False),
                "qty2": _column("qty2", "integer", nullable=False),
            },
            primary_key=["id"],
            foreign_keys=[ForeignKeyInfo(("customer_id",), "customer.id")],
            checks=[CheckInfo("(qty >= 1)"), CheckInfo("(qty >= 3)"), CheckInfo("(qty <= 9)")],
            comment="Orders",
        ),
    }
    result = draft_contracts(tables, ["orders"], DraftOptions(team="shop"))
    assert result.problems == []
    [draft] = result.drafts
    contract = parse_contract(draft.document)
    qty = contract.field("qty")
    assert qty is not None
    assert [(c.type, c.value) for c in qty.constraints] == [("min", 3), ("max", 9)]  # tighter
    customer_id = contract.field("customer_id")
    assert customer_id is not None and customer_id.foreign_key_reference == "customer.id"
    assert any("not drafted in this run" in line for line in draft.left_out)
    assert contract.description == "Orders"
    assert review_items(contract) == ["publisher: owner is a placeholder; set it (--owner O)"]


def test_selection_by_schema_and_partitions() -> None:
    def table(name: str, partition_of: str | None = None) -> TableInfo:
        return TableInfo(name, {"id": _column("id", "integer")}, partition_of=partition_of)

    tables = {
        name: table(name, parent)
        for name, parent in [
            ("film", None), ("p", None), ("p_2024", "p"), ("sales.orders", None),
        ]
    }  # fmt: skip
    default = select_tables(tables, [], schema=None, schema_label="public")
    assert default.tables == ["film", "p"]
    assert default.notes == ["partitions read through their partitioned table: p_2024"]
    sales = select_tables(tables, ["orders", "sales.ORDERS", "x"], schema="sales",
                          schema_label="sales")  # fmt: skip
    assert sales.tables == ["sales.orders"]
    assert sales.problems == ["table 'x' not found in schema 'sales'"]
    asked = select_tables(tables, ["p_2024"], schema=None, schema_label="public")
    assert asked.tables == ["p_2024"]
