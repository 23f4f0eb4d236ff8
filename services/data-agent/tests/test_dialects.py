"""Every statement the agent builds renders for every sqlglot dialect it may be pointed at.

PostgreSQL, MySQL/MariaDB and DuckDB are run for real by the other tests. Snowflake,
BigQuery and Redshift are only rendered and parsed back here: adding one of them is an
engine class naming its dialect and driver, but none is tested against a real server.
"""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from datapact_agent.checks import sql
from datapact_agent.checks.plan import plan_tables
from datapact_common.documents import parse_contract
from datapact_common.engines.base import ColumnInfo, Kind, TableInfo

DIALECTS = ["postgres", "mysql", "duckdb", "snowflake", "bigquery", "redshift"]


def _column(name: str, kind: Kind, nullable: bool = True) -> ColumnInfo:
    return ColumnInfo(name=name, type=str(kind), base_type=str(kind), kind=kind, nullable=nullable)


ORDERS = TableInfo(
    name="sales.orders",
    columns={
        "id": _column("id", Kind.NUMBER, nullable=False),
        "line": _column("line", Kind.NUMBER, nullable=False),
        "email": _column("email", Kind.TEXT),
        "status": _column("status", Kind.ENUM),
        "amount": _column("amount", Kind.NUMBER),
        "meta": _column("meta", Kind.JSON),
        "customer_id": _column("customer_id", Kind.NUMBER),
        "updated_at": _column("updated_at", Kind.TEMPORAL),
    },
    primary_key=["id", "line"],
)
CUSTOMERS = TableInfo(name="customers", columns={"id": _column("id", Kind.NUMBER, False)})

CONTRACTS = [
    parse_contract(
        {
            "name": "orders",
            "version": "1.0.0",
            "table": "sales.orders",
            "publisher": {"team": "t", "owner": "o"},
            "schema": [
                {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
                {"name": "line", "data_type": "integer", "nullable": False,
                 "is_primary_key": True},
                {"name": "email", "data_type": "string", "unique": True, "constraints": [
                    {"type": "regex", "value": "^[^@]+@[^@]+$"},
                    {"type": "min_length", "value": 3}, {"type": "max_length", "value": 99}],
                 "quality_rules": [
                    {"metric": "nullValues", "mustBeLessThan": 5, "unit": "percent"},
                    {"metric": "missingValues", "mustBe": 0,
                     "arguments": {"missingValues": [None, "", "N/A"]}},
                    {"metric": "invalidValues", "mustBeLessOrEqualTo": 2,
                     "arguments": {"pattern": "^[a-z.]+@x$"}},
                    {"metric": "duplicateValues", "mustBe": 0}]},
                {"name": "status", "data_type": "enum",
                 "constraints": [{"type": "enum", "value": ["new", "it's done"]}],
                 "quality_rules": [{"metric": "invalidValues", "mustNotBe": 3,
                                    "arguments": {"validValues": ["new", "paid"]}}]},
                {"name": "amount", "data_type": "decimal", "constraints": [
                    {"type": "min", "value": 0}, {"type": "max", "value": 1e6},
                    {"type": "expression",
                     "value": "amount % 2 = 0 OR email LIKE '%@x' OR status IN ('new')"}]},
                {"name": "meta", "data_type": "json", "unique": True},
                {"name": "customer_id", "data_type": "integer", "is_foreign_key": True,
                 "foreign_key_reference": "customers.id"},
                {"name": "updated_at", "data_type": "datetime", "quality_rules": [
                    {"type": "sql", "mustBeLessThan": 1, "query":
                     "SELECT COUNT(*) FROM ${object} WHERE ${property} > CURRENT_TIMESTAMP"}]},
            ],
            "quality": [{"metric_type": "freshness", "threshold": "1h"},
                        {"metric_type": "completeness", "threshold": "99%"},
                        {"metric_type": "volume", "threshold": "1..1000000"}],
            "quality_rules": [
                {"metric": "rowCount", "mustBeBetween": [1, 1000000]},
                {"metric": "duplicateValues", "mustBe": 0,
                 "arguments": {"properties": ["email", "status"]}},
                {"type": "sql", "mustBeGreaterOrEqualTo": 0,
                 "query": "SELECT AVG(o.amount) FROM ${object} AS o WHERE o.status = 'new'"},
            ],
        }
    ),
    parse_contract(
        {
            "name": "customers",
            "version": "1.0.0",
            "publisher": {"team": "t", "owner": "o"},
            "schema": [{"name": "id", "data_type": "integer", "nullable": False,
                        "is_primary_key": True}],
        }
    ),
]  # fmt: skip


def _statements() -> list[tuple[str, exp.Expr, dict[str, object]]]:
    tables = {"orders": "sales.orders", "customers": "customers"}
    live = {"sales.orders": ORDERS, "customers": CUSTOMERS}
    [plan, _] = plan_tables(CONTRACTS, tables, live)
    aggregate, params = sql.aggregate(plan)
    samples, sample_params = sql.samples(plan, ["id", "line"], range(len(plan.conditions)), ["id"])
    columns = ORDERS.columns
    rule_queries: list[tuple[str, exp.Expr, dict[str, object]]] = [
        (f"sql rule {rule.id}", rule.query, {}) for rule in plan.rules if rule.query is not None
    ]
    return [
        ("aggregate", aggregate, params),
        ("samples", samples, sample_params),
        ("duplicates", sql.duplicate_samples(plan.table, ["id"], [columns["email"]], 5), {}),
        ("json duplicates", sql.duplicate_samples(plan.table, ["id"], [columns["meta"]], 5), {}),
        ("orphans", sql.orphans(plan.table, "customer_id", "customers", "id"), {}),
        ("orphan samples",
         sql.orphan_samples(plan.table, "customer_id", "customers", "id", ["id"], 5), {}),
        *rule_queries,
    ]  # fmt: skip


def test_the_plan_has_every_rule_kind() -> None:
    [plan, _] = plan_tables(
        CONTRACTS, {"orders": "sales.orders", "customers": "customers"},
        {"sales.orders": ORDERS, "customers": CUSTOMERS},
    )  # fmt: skip
    kinds = {rule.kind.value for rule in plan.rules}
    assert kinds == {
        "not_null", "unique", "min", "max", "min_length", "max_length", "regex", "enum",
        "expression", "foreign_key", "present", "type", "completeness", "freshness",
        "row_count", "quality",
    }  # fmt: skip
    quality = [rule for rule in plan.rules if rule.kind.value == "quality"]
    assert len(quality) == 9
    assert sum(rule.query is not None for rule in quality) == 2  # sql: their own statements
    assert all(rule.error is None for rule in plan.rules), [r.error for r in plan.rules]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_statement_renders_and_parses_back(dialect: str) -> None:
    for name, statement, params in _statements():
        text = sql.render(statement, dialect)
        if dialect != "mysql":  # PyMySQL's %(name)s is not MySQL syntax; the rest is
            parsed = sqlglot.parse_one(text, read=dialect)
            assert isinstance(parsed, exp.Select), (name, text)
        assert '"sales"' in text or "`sales`" in text or name.startswith("orphan"), text
        for value in params.values():
            # every value from a contract is a parameter, never part of the text
            assert not isinstance(value, str) or not value or value not in text, (name, value)


def test_values_are_parameters_in_each_drivers_style() -> None:
    [(_, aggregate, params), *_] = _statements()
    assert "it's done" in params.values() and "%@x" in params.values()
    assert "%(v" in sql.render(aggregate, "postgres")
    assert "%(v" in sql.render(aggregate, "mysql")
    assert "$v" in sql.render(aggregate, "duckdb")
    assert "MOD(" in sql.render(aggregate, "postgres").upper()  # '%' would clash


def test_regex_means_found_anywhere_in_each_dialect() -> None:
    [(_, aggregate, _params), *_] = _statements()
    rendered = {d: sql.render(aggregate, d) for d in DIALECTS}
    assert " ~ " in rendered["postgres"] and " ~ " in rendered["redshift"]
    assert "REGEXP_MATCHES(" in rendered["duckdb"]
    assert "REGEXP_INSTR(" in rendered["mysql"] and "(?-i)" in rendered["mysql"]
    assert "REGEXP_CONTAINS(" in rendered["bigquery"]
