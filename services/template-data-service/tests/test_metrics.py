"""GET /metrics: numbers computed from the contracts, exact on known data, never failing
because the live schema drifted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

STALE = "2024-03-01T12:00:00+00:00"


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine sends during the test."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


async def test_exact_numbers_on_known_rows(
    fresh_database: str, make_settings: Any, make_client: Any, run_sql: Any
) -> None:
    await run_sql(
        fresh_database,
        "ALTER TABLE customers DROP CONSTRAINT uq_customers_email",
        "INSERT INTO customers (email, full_name, phone, country_code, updated_at) VALUES "
        "('a@example.com', 'A', '+1 555', 'DE', '2024-01-01T00:00:00Z'),"
        "('b@example.com', 'B', NULL, 'DE', '2024-02-01T00:00:00Z'),"
        "('b@example.com', 'C', '+1 556', 'FR', :stale),"
        "('c@example.com', 'D', NULL, 'FR', '2023-06-01T00:00:00Z'),"
        "('c@example.com', 'E', NULL, 'GB', '2023-07-01T00:00:00Z')",
        stale=datetime.fromisoformat(STALE),
    )
    async with make_client(make_settings(fresh_database)) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    body = response.json()
    assert body["service"] == "template-data-service"
    customers = body["datasets"]["shop_customers"]
    assert customers["table"] == "customers"
    assert customers["row_count"] == 5
    assert customers["errors"] == []
    assert customers["completeness"]["phone"] == {"non_null": 2, "ratio": 0.4}
    assert customers["completeness"]["email"] == {"non_null": 5, "ratio": 1.0}
    assert set(customers["completeness"]) == {
        "id", "email", "full_name", "phone", "country_code", "loyalty_tier",
        "created_at", "updated_at",
    }  # fmt: skip
    assert customers["uniqueness"] == {
        "id": {"distinct": 5, "duplicates": 0, "ratio": 1.0},
        "email": {"distinct": 3, "duplicates": 2, "ratio": 0.6},
    }
    freshness = customers["freshness"]
    assert freshness["column"] == "updated_at"
    assert datetime.fromisoformat(freshness["last_update"]) == datetime.fromisoformat(STALE)
    expected_age = (datetime.now(UTC) - datetime.fromisoformat(STALE)).total_seconds()
    assert abs(freshness["seconds_since_update"] - expected_age) < 300

    # Empty tables: no rows, nothing missing, nothing stale to report.
    orders = body["datasets"]["shop_orders"]
    assert orders["row_count"] == 0
    assert orders["freshness"] == {
        "column": "updated_at",
        "last_update": None,
        "seconds_since_update": None,
    }
    assert orders["completeness"]["status"] == {"non_null": 0, "ratio": 1.0}
    assert orders["uniqueness"]["order_number"] == {"distinct": 0, "duplicates": 0, "ratio": 1.0}
    assert list(body["datasets"]) == [
        "shop_customers",
        "shop_products",
        "shop_orders",
        "shop_order_items",
    ]


async def test_nulls_injected_lower_completeness(
    fresh_database: str, make_settings: Any, make_client: Any, run_sql: Any, add_customers: Any
) -> None:
    await add_customers(
        fresh_database,
        [
            {"id": i, "email": f"c{i}@example.com", "phone": "1" if i % 4 else None}
            for i in range(1, 9)
        ],
    )
    await run_sql(
        fresh_database,
        "ALTER TABLE customers ALTER COLUMN full_name DROP NOT NULL",
        "UPDATE customers SET full_name = NULL WHERE id <= 3",
    )
    async with make_client(make_settings(fresh_database)) as client:
        customers = (await client.get("/metrics")).json()["datasets"]["shop_customers"]
    assert customers["completeness"]["full_name"] == {"non_null": 5, "ratio": 0.625}
    assert customers["completeness"]["phone"] == {"non_null": 6, "ratio": 0.75}


async def test_dropped_column_is_reported_not_fatal(
    fresh_database: str, make_settings: Any, make_client: Any, run_sql: Any, add_customers: Any
) -> None:
    await add_customers(fresh_database, [{"id": 1, "email": "a@example.com"}])
    await run_sql(
        fresh_database,
        "ALTER TABLE customers DROP COLUMN email",
        "ALTER TABLE customers DROP COLUMN updated_at",
    )
    async with make_client(make_settings(fresh_database)) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    datasets = response.json()["datasets"]
    customers = datasets["shop_customers"]
    assert customers["row_count"] == 1
    assert customers["completeness"]["email"] is None
    assert customers["uniqueness"]["email"] is None
    assert customers["uniqueness"]["id"] == {"distinct": 1, "duplicates": 0, "ratio": 1.0}
    assert customers["completeness"]["full_name"] == {"non_null": 1, "ratio": 1.0}
    assert customers["freshness"] == {
        "column": "updated_at", "last_update": None, "seconds_since_update": None
    }  # fmt: skip
    assert "column 'email' does not exist in table 'customers'" in customers["errors"]
    assert (
        "freshness column 'updated_at' does not exist in table 'customers'" in customers["errors"]
    )
    assert datasets["shop_orders"]["errors"] == []


async def test_column_dropped_after_inspection_is_retried(
    fresh_database: str, make_settings: Any, make_client: Any, run_sql: Any, add_customers: Any
) -> None:
    """With a cached schema the query meets the missing column; it re-inspects and reports."""
    await add_customers(fresh_database, [{"id": 1, "email": "a@example.com"}])
    settings = make_settings(fresh_database, schema_cache_seconds=3600)
    async with make_client(settings) as client:
        assert (await client.get("/metrics")).json()["datasets"]["shop_customers"]["errors"] == []
        await run_sql(fresh_database, "ALTER TABLE customers DROP COLUMN phone")
        customers = (await client.get("/metrics")).json()["datasets"]["shop_customers"]
    assert customers["errors"] == ["column 'phone' does not exist in table 'customers'"]
    assert customers["completeness"]["phone"] is None
    assert customers["row_count"] == 1


async def test_missing_table_is_reported(
    fresh_database: str, make_settings: Any, make_client: Any, run_sql: Any
) -> None:
    await run_sql(fresh_database, "DROP TABLE order_items")
    async with make_client(make_settings(fresh_database)) as client:
        datasets = (await client.get("/metrics")).json()["datasets"]
    items = datasets["shop_order_items"]
    assert items["row_count"] is None
    assert items["errors"] == ["table 'order_items' does not exist"]
    assert set(items["completeness"].values()) == {None}
    assert datasets["shop_orders"]["row_count"] == 0


async def test_one_aggregate_query_per_table(
    database: str,
    make_settings: Any,
    make_client: Any,
    shipped_contracts: Any,
    contracts_file: Any,
    statements: list[str],
) -> None:
    """Two contracts on `orders` (and their different freshness columns) share one query."""
    documents = shipped_contracts()
    orders = next(d for d in documents if d["name"] == "shop_orders")
    finance = {
        **orders,
        "name": "finance_orders",
        "quality": [
            {"metric_type": "freshness", "threshold": "1 day", "measurement_method": "placed_at"}
        ],
        "subscribers": [],
    }
    path = contracts_file([*documents, finance])
    async with make_client(make_settings(database, contracts_path=path)) as client:
        statements.clear()
        body = (await client.get("/metrics")).json()
    aggregates = [s for s in statements if "count(*)" in s]
    assert len(aggregates) == 4  # customers, products, orders, order_items
    assert sum("FROM orders" in s for s in aggregates) == 1
    assert body["datasets"]["finance_orders"]["freshness"]["column"] == "placed_at"
    assert body["datasets"]["shop_orders"]["freshness"]["column"] == "updated_at"


async def test_contract_rules_drive_the_measurements(
    fresh_database: str,
    make_settings: Any,
    make_client: Any,
    run_sql: Any,
    contracts_file: Any,
) -> None:
    """Freshness column from measurement_method (also 'max(col)'), composite primary keys,
    odd identifiers quoted safely, and a freshness column that is not a timestamp."""
    await run_sql(
        fresh_database,
        'CREATE TABLE "OddTable" ("Select" INT NOT NULL, "line" INT NOT NULL, '
        '"when" TIMESTAMPTZ, "note" JSON)',
        """INSERT INTO "OddTable" VALUES (1, 1, '2024-01-01T00:00:00Z', '{"a": 1}'), """
        """(1, 2, '2024-01-02T00:00:00Z', '{"a": 1}'), (1, 2, NULL, NULL)""",
    )
    base = {"version": "1.0.0", "publisher": {"team": "t", "owner": "o"}}
    documents = [
        {
            **base,
            "name": "odd",
            "table": "OddTable",
            "schema": [
                {
                    "name": "Select",
                    "data_type": "integer",
                    "nullable": False,
                    "is_primary_key": True,
                },
                {"name": "line", "data_type": "integer", "nullable": False, "is_primary_key": True},
                {"name": "when", "data_type": "timestamp"},
                {"name": "note", "data_type": "json", "unique": True},
            ],
            "quality": [
                {"metric_type": "freshness", "threshold": "1h", "measurement_method": "max(when)"}
            ],
        },
        {
            **base,
            "name": "bad_freshness",
            "table": "customers",
            "schema": [{"name": "email", "data_type": "string"}],
            "quality": [
                {"metric_type": "freshness", "threshold": "1h", "measurement_method": "email"}
            ],
        },
    ]
    settings = make_settings(fresh_database, contracts_path=contracts_file(documents))
    async with make_client(settings) as client:
        datasets = (await client.get("/metrics")).json()["datasets"]
    odd = datasets["odd"]
    assert odd["errors"] == []
    assert odd["row_count"] == 3
    assert odd["freshness"]["column"] == "when"
    assert datetime.fromisoformat(odd["freshness"]["last_update"]) == datetime(
        2024, 1, 2, tzinfo=UTC
    )
    assert odd["uniqueness"] == {
        "note": {"distinct": 1, "duplicates": 1, "ratio": 0.5},
        "(Select, line)": {"distinct": 2, "duplicates": 1, "ratio": 2 / 3},
    }
    assert odd["completeness"]["when"] == {"non_null": 2, "ratio": 2 / 3}
    assert datasets["bad_freshness"]["errors"] == [
        "freshness column 'email' has type VARCHAR(255), not a date or timestamp"
    ]
    assert datasets["bad_freshness"]["freshness"]["last_update"] is None


async def test_warm_up_at_startup_only_when_enabled(database: str, make_settings: Any) -> None:
    import asyncio

    from data_service.main import create_app

    app = create_app(make_settings(database, metrics_warmup=True))
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.metrics_warmed_up.wait(), timeout=60)
    quiet = create_app(make_settings(database))
    async with quiet.router.lifespan_context(quiet):
        await asyncio.sleep(0)
    assert not quiet.state.metrics_warmed_up.is_set()
