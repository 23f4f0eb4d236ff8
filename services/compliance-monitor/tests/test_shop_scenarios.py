"""A real template-data-service checked against its own contracts, then broken on purpose.

Processes: contract-service, template-data-service (its own copy of the seeded shop), an
HttpSink as the notification-service. The sweeps run in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from compliance_monitor.monitoring.sweep import SweepKind
from datapact_common.events import EventEnvelope, EventType
from datapact_common.exceptions import AuthenticationError
from datapact_common.settings import DEVELOPMENT_SECRET
from datapact_common.tokens import Service, decode_token
from datapact_testing.http_sink import HttpSink
from datapact_testing.processes import ServiceProcess

Events = Callable[[HttpSink], list[EventEnvelope]]
Sweep = Callable[..., Any]
Query = Callable[[str, str], list[tuple[Any, ...]]]


def register_shop(
    registry: Any, service: ServiceProcess, shop_contracts: Any, **quality: str
) -> dict[str, str]:
    """Register the template's contracts pointed at ``service``; returns name → id."""
    ids = {}
    for document in shop_contracts(service.base_url, **quality):
        ids[document["name"]] = registry.register(document)
    return ids


def fields_of(check: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = check["details"]["fields"]
    return fields


async def test_a_service_that_matches_its_contracts_passes(
    registry: Any,
    shop_service: ServiceProcess,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
) -> None:
    ids = register_shop(registry, shop_service, shop_contracts)
    schema = await sweep(SweepKind.SCHEMA)
    quality = await sweep(SweepKind.QUALITY)
    availability = await sweep(SweepKind.AVAILABILITY)

    assert (schema["contracts"], schema["checked"], schema["failed"], schema["errored"]) == (
        4,
        4,
        0,
        0,
    )
    assert schema["services"] == 1
    assert schema["recorded"] == 4
    assert quality["failed"] == 0
    # freshness, completeness, uniqueness for 4 contracts, and one result per value rule:
    # "not checked", as the template speaks protocol 1 (never a pass)
    assert quality["recorded"] == 12 + quality["results"]["error"]
    assert quality["results"]["pass"] == 12 and quality["results"]["error"] > 0
    assert availability["results"]["pass"] == 4
    for name, contract_id in ids.items():
        for check_type in ("schema", "freshness", "completeness", "uniqueness", "availability"):
            latest = registry.latest(contract_id, check_type)
            assert latest["status"] == "pass", (name, check_type, latest)
        assert registry.contract(contract_id)["compliance"]["checks"]["schema"]["status"] == "pass"
    validity = registry.contract(ids["shop_customers"])["compliance"]["checks"]["validity"]
    assert validity["status"] == "error" and validity["rules"]["country_code:regex"] == {
        "status": "error",
        "checked_at": validity["checked_at"],
        "error_message": "`country_code`: regex ^[A-Z]{2}$ not checked "
        "(the data service speaks protocol 1)",
        "field": "country_code",
        "rule": "regex",
    }
    customers = registry.latest(ids["shop_customers"], "completeness")
    assert fields_of(customers)["email"]["found"].startswith("100.00%")
    # Healthy from the first look: nothing to tell anyone.
    assert events(notifications) == []


async def test_schema_drift_is_reported_per_field_and_alerted_once(
    redis_db: Any,
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
    run_sql: Callable[[str, str], None],
) -> None:
    ids = register_shop(registry, shop_service, shop_contracts)
    customers = ids["shop_customers"]
    await sweep(SweepKind.SCHEMA)
    assert registry.latest(customers, "schema")["status"] == "pass"

    run_sql(
        shop_database,
        """
        ALTER TABLE customers DROP COLUMN phone;
        ALTER TABLE customers ALTER COLUMN created_at TYPE timestamp without time zone;
        ALTER TABLE customers ALTER COLUMN full_name DROP NOT NULL;
        """,
    )
    summary = await sweep(SweepKind.SCHEMA)
    assert (summary["failed"], summary["events"]) == (1, 1)

    check = registry.latest(customers, "schema")
    assert check["status"] == "fail"
    fields = fields_of(check)
    assert set(fields) == {"phone", "created_at", "full_name"}
    assert fields["phone"]["problems"][0]["problem"] == "missing_column"
    created = fields["created_at"]["problems"][0]
    assert created["problem"] == "type_mismatch"
    assert created["found"] == "TIMESTAMP WITHOUT TIME ZONE"
    assert created["expected"] == "timestamp (timestamptz)"
    nullable = fields["full_name"]["problems"][0]
    assert (nullable["problem"], nullable["expected"], nullable["found"]) == (
        "nullable",
        "NOT NULL",
        "nullable",
    )
    assert "column 'phone' is missing from table 'customers'" in check["error_message"]
    for other in ("shop_products", "shop_orders", "shop_order_items"):
        assert registry.latest(ids[other], "schema")["status"] == "pass"

    [drift] = events(notifications)
    assert drift.type is EventType.SCHEMA_DRIFT
    assert drift.contract_name == "shop_customers"
    assert drift.source == "compliance-monitor"
    assert drift.payload["fields"] == ["created_at", "full_name", "phone"]
    assert drift.payload["contract_id"] == customers
    assert len(drift.payload["errors"]) == 3
    auth = notifications.received()[0].headers.get("Authorization", "")
    # the monitor's token for the notification-service, and for no other API
    token = auth.removeprefix("Bearer ")
    assert decode_token(DEVELOPMENT_SECRET, token, Service.NOTIFICATIONS).service == (
        "compliance-monitor"
    )
    with pytest.raises(AuthenticationError, match="not meant for the contract-service API"):
        decode_token(DEVELOPMENT_SECRET, token, Service.CONTRACTS)

    # Still broken on the next poll: recorded again, not alerted again.
    again = await sweep(SweepKind.SCHEMA)
    assert (again["failed"], again["events"]) == (1, 0)
    assert len(registry.checks(customers, "schema")) == 3
    assert len(events(notifications)) == 1
    # Redis lost its state (restart without persistence): the recorded status stands in.
    redis_db.flushdb()
    after_loss = await sweep(SweepKind.SCHEMA)
    assert (after_loss["failed"], after_loss["events"]) == (1, 0)

    run_sql(
        shop_database,
        """
        ALTER TABLE customers ADD COLUMN phone varchar(40);
        ALTER TABLE customers ALTER COLUMN created_at TYPE timestamp with time zone;
        ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;
        """,
    )
    await sweep(SweepKind.SCHEMA)
    assert registry.latest(customers, "schema")["status"] == "pass"
    recovered = events(notifications)[1]
    assert recovered.type is EventType.COMPLIANCE_RECOVERED
    assert recovered.payload["check_type"] == "schema"
    assert recovered.payload["fields"] == ["created_at", "full_name", "phone"]
    assert recovered.payload["failing_since"] is not None


async def test_a_field_that_breaks_while_the_alert_is_open_is_alerted_once(
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
    run_sql: Callable[[str, str], None],
) -> None:
    """`phone` (used by nobody) drifts first; a week later `email` (used by marketing) is
    dropped too. The alert was already open, so nobody who uses `email` was ever told."""
    ids = register_shop(registry, shop_service, shop_contracts)
    customers = ids["shop_customers"]
    await sweep(SweepKind.SCHEMA)
    run_sql(shop_database, "ALTER TABLE customers DROP COLUMN phone")
    await sweep(SweepKind.SCHEMA)
    [opened] = events(notifications)
    assert opened.payload["fields"] == ["phone"]

    run_sql(shop_database, "ALTER TABLE customers DROP COLUMN email")
    summary = await sweep(SweepKind.SCHEMA)
    assert summary["events"] == 1
    added = events(notifications)[1]
    assert added.type is EventType.SCHEMA_DRIFT
    assert added.payload["fields"] == ["email"]  # only the news, to the people it concerns
    assert added.dedup_key != opened.dedup_key  # not suppressed as a repeat of the first
    assert "column 'email' is missing" in added.title

    again = await sweep(SweepKind.SCHEMA)  # nothing new: recorded, not alerted
    assert again["events"] == 0

    run_sql(
        shop_database,
        """
        ALTER TABLE customers ADD COLUMN phone varchar(40);
        ALTER TABLE customers ADD COLUMN email varchar(255);
        UPDATE customers SET email = 'c' || id || '@example.com';
        ALTER TABLE customers ALTER COLUMN email SET NOT NULL;
        ALTER TABLE customers ADD CONSTRAINT uq_customers_email UNIQUE (email);
        """,
    )
    await sweep(SweepKind.SCHEMA)
    assert registry.latest(customers, "schema")["status"] == "pass"
    recovered = events(notifications)[2]
    assert recovered.type is EventType.COMPLIANCE_RECOVERED
    assert recovered.payload["fields"] == ["phone", "email"]  # everyone who was told


async def test_stale_data_breaches_freshness(
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
    run_sql: Callable[[str, str], None],
) -> None:
    ids = register_shop(registry, shop_service, shop_contracts)
    run_sql(shop_database, "UPDATE orders SET updated_at = now() - interval '2 hours'")
    await sweep(SweepKind.QUALITY)

    check = registry.latest(ids["shop_orders"], "freshness")
    assert check["status"] == "fail"
    assert check["details"]["expected"] == "last update within 15 minutes (column 'updated_at')"
    assert check["details"]["found"].startswith("last update 2 h 00 min ago")
    assert 7200 <= check["details"]["seconds_since_update"] < 7200 + 600
    assert registry.latest(ids["shop_customers"], "freshness")["status"] == "pass"
    [breach] = events(notifications)
    assert (breach.type, breach.contract_name) == (EventType.QUALITY_BREACH, "shop_orders")
    assert breach.payload["check_type"] == "freshness"
    assert breach.payload["fields"] == []


async def test_nulls_breach_completeness(
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
    run_sql: Callable[[str, str], None],
    query: Query,
) -> None:
    ids = register_shop(registry, shop_service, shop_contracts)
    run_sql(
        shop_database,
        """
        ALTER TABLE customers ALTER COLUMN country_code DROP NOT NULL;
        UPDATE customers SET country_code = NULL WHERE id % 10 = 0;
        """,
    )
    nulls = len(query(shop_database, "SELECT id FROM customers WHERE country_code IS NULL"))
    total = query(shop_database, "SELECT count(*) FROM customers")[0][0]
    assert nulls > 0
    await sweep(SweepKind.QUALITY)

    check = registry.latest(ids["shop_customers"], "completeness")
    assert check["status"] == "fail"
    entry = fields_of(check)["country_code"]
    assert entry["status"] == "fail"
    assert entry["expected"] == "100% non-null (NOT NULL field)"
    assert entry["found"].endswith(f"({total - nulls} of {total} rows non-null)")
    assert f"{nulls} null value(s)" in entry["message"]
    assert fields_of(check)["email"]["status"] == "pass"
    breaches = [e for e in events(notifications) if e.type is EventType.QUALITY_BREACH]
    assert [(e.payload["check_type"], e.payload["fields"]) for e in breaches] == [
        ("completeness", ["country_code"])
    ]


async def test_duplicates_breach_uniqueness(
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
    run_sql: Callable[[str, str], None],
    query: Query,
) -> None:
    ids = register_shop(registry, shop_service, shop_contracts)
    [(constraint,)] = query(
        shop_database,
        "SELECT conname FROM pg_constraint WHERE conrelid = 'products'::regclass AND contype = 'u'",
    )
    run_sql(
        shop_database,
        f"""
        ALTER TABLE products DROP CONSTRAINT "{constraint}";
        UPDATE products SET sku = 'SKU-DUPLICATE' WHERE id IN (1, 2, 3);
        """,
    )
    await sweep(SweepKind.QUALITY)

    check = registry.latest(ids["shop_products"], "uniqueness")
    assert check["status"] == "fail"
    assert fields_of(check)["sku"]["duplicates"] == 2
    assert fields_of(check)["sku"]["found"].startswith("2 duplicate value(s)")
    assert fields_of(check)["id"]["status"] == "pass"
    [breach] = events(notifications)
    assert breach.payload["check_type"] == "uniqueness"
    assert breach.payload["fields"] == ["sku"]
    # The schema check sees the dropped constraint as a warning, not a failure.
    await sweep(SweepKind.SCHEMA)
    schema = registry.latest(ids["shop_products"], "schema")
    assert schema["status"] == "warning"
    assert fields_of(schema)["sku"]["problems"][0]["problem"] == "unique_not_enforced"


async def test_a_stopped_service_alerts_once_and_recovers(
    registry: Any,
    shop_service: ServiceProcess,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
) -> None:
    # Availability SLA 50%: after probes up, down, down, up the uptime is back at 50%.
    ids = register_shop(registry, shop_service, shop_contracts, availability="50%")
    customers = ids["shop_customers"]
    await sweep(SweepKind.AVAILABILITY)
    assert registry.latest(customers, "availability")["status"] == "pass"

    shop_service.stop()
    first = await sweep(SweepKind.AVAILABILITY)
    second = await sweep(SweepKind.AVAILABILITY)
    assert (first["failed"], first["events"]) == (4, 4)
    assert (second["failed"], second["events"]) == (4, 0)
    down = registry.latest(customers, "availability")
    assert down["status"] == "fail"
    assert down["details"]["probe"]["ok"] is False
    assert "cannot connect" in down["details"]["probe"]["error"]
    assert down["details"]["probes_total"] == 3
    breaches = [e for e in events(notifications) if e.contract_name == "shop_customers"]
    assert [e.type for e in breaches] == [EventType.AVAILABILITY_BREACH]
    assert breaches[0].payload["endpoint"] == shop_service.base_url

    # An unreachable service is an error for schema and quality, not a crash nor an alert.
    schema = await sweep(SweepKind.SCHEMA)
    quality = await sweep(SweepKind.QUALITY)
    assert (schema["errored"], schema["events"]) == (4, 0)
    assert (quality["errored"], quality["events"]) == (4, 0)
    error = registry.latest(customers, "schema")
    assert error["status"] == "error"
    assert error["error_message"].startswith(f"{shop_service.base_url}/schema: cannot connect")

    shop_service.start()
    back = await sweep(SweepKind.AVAILABILITY)
    assert back["results"]["pass"] == 4
    recovered = [e for e in events(notifications) if e.type is EventType.COMPLIANCE_RECOVERED]
    assert len(recovered) == 4
    assert {e.payload["check_type"] for e in recovered} == {"availability"}
    assert registry.latest(customers, "availability")["details"]["uptime"] == 50.0


async def test_events_wait_while_the_notification_service_is_down(
    registry: Any,
    shop_service: ServiceProcess,
    shop_database: str,
    shop_contracts: Any,
    sweep: Sweep,
    notifications: HttpSink,
    events: Events,
    run_sql: Callable[[str, str], None],
) -> None:
    register_shop(registry, shop_service, shop_contracts)
    notifications.status = 503
    run_sql(shop_database, "ALTER TABLE products DROP COLUMN active")
    summary = await sweep(SweepKind.SCHEMA)
    assert (summary["events"], summary["events_delivered"]) == (1, 0)
    assert events(notifications) == []

    notifications.status = 202
    later = await sweep(SweepKind.SCHEMA)  # still failing: no new event, the old one goes out
    assert (later["events"], later["events_delivered"]) == (0, 1)
    [drift] = events(notifications)
    assert drift.type is EventType.SCHEMA_DRIFT
    assert drift.payload["fields"] == ["active"]
