"""Chinook (11 tables, 11 foreign keys, real data) as a second schema under contract.

The template-data-service serves Chinook's ``/schema`` and ``/metrics`` (its CONTRACTS_PATH
points at tests/fixtures/chinook/contracts.yaml); the oracle for the quality findings is
plain SQL against the same database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compliance_monitor.monitoring.sweep import SweepKind
from datapact_common.events import EventEnvelope, EventType
from datapact_testing.http_sink import HttpSink
from datapact_testing.processes import ServiceProcess

Query = Callable[[str, str], list[tuple[Any, ...]]]
CUSTOMER_NULLABLE = (
    "company", "address", "city", "state", "country", "postal_code", "phone", "fax",
    "support_rep_id",
)  # fmt: skip


async def test_chinook_contracts_are_checked_against_the_real_schema(
    registry: Any,
    chinook_service: ServiceProcess,
    chinook_database: str,
    chinook_contracts: Callable[[str], list[dict[str, Any]]],
    sweep: Callable[..., Any],
    notifications: HttpSink,
    events: Callable[[HttpSink], list[EventEnvelope]],
    query: Query,
) -> None:
    ids = {
        d["name"]: registry.register(d) for d in chinook_contracts(chinook_service.base_url or "")
    }
    assert len(ids) == 11

    schema = await sweep(SweepKind.SCHEMA)
    assert (schema["checked"], schema["results"]["pass"]) == (11, 11)
    for contract_id in ids.values():
        check = registry.latest(contract_id, "schema")
        # Every column documented, every type exact, all 11 foreign keys found.
        assert check["details"]["warnings"] == [], check["details"]

    quality = await sweep(SweepKind.QUALITY)
    # The template speaks protocol 1: foreign keys are value rules it cannot count, so each
    # is "not checked" (an error), never a pass; nothing else errs.
    validity = [c for cid in ids.values() for c in registry.checks(cid, "validity")]
    assert validity and all(c["status"] == "error" for c in validity)
    assert all("speaks protocol 1" in c["error_message"] for c in validity)
    assert quality["results"]["error"] == len(validity)

    # Freshness: the last invoice is far older than the promised day.
    [(age,)] = query(
        chinook_database, "SELECT extract(epoch FROM now() - max(invoice_date)) FROM invoice"
    )
    freshness = registry.latest(ids["chinook_invoice"], "freshness")
    assert freshness["status"] == "fail"
    assert freshness["details"]["column"] == "invoice_date"
    assert abs(freshness["details"]["seconds_since_update"] - float(age)) < 3600

    # Completeness: the SLA (50%) holds for some nullable customer columns and not others.
    [(total,)] = query(chinook_database, "SELECT count(*) FROM customer")
    counts = query(
        chinook_database,
        "SELECT " + ", ".join(f"count({c})" for c in CUSTOMER_NULLABLE) + " FROM customer",
    )[0]
    expected_failing = sorted(
        column
        for column, filled in zip(CUSTOMER_NULLABLE, counts, strict=True)
        if filled / total < 0.5
    )
    assert expected_failing  # the sample really has sparse columns
    completeness = registry.latest(ids["chinook_customer"], "completeness")
    assert completeness["status"] == "fail"
    failing = sorted(
        name
        for name, entry in completeness["details"]["fields"].items()
        if entry["status"] == "fail"
    )
    assert failing == expected_failing

    # Uniqueness: every primary key holds, playlist_track's two-column key as a whole.
    for contract_id in ids.values():
        assert registry.latest(contract_id, "uniqueness")["status"] == "pass"
    composite = registry.latest(ids["chinook_playlist_track"], "uniqueness")
    assert list(composite["details"]["fields"]) == ["(playlist_id, track_id)"]

    breaches = {(e.contract_name, e.payload["check_type"]): e for e in events(notifications)}
    assert set(breaches) == {("chinook_invoice", "freshness"), ("chinook_customer", "completeness")}
    assert breaches[("chinook_customer", "completeness")].payload["fields"] == expected_failing
    assert all(e.type is EventType.QUALITY_BREACH for e in breaches.values())


async def test_a_misdeclared_contract_on_chinook_names_each_wrong_field(
    registry: Any,
    chinook_service: ServiceProcess,
    chinook_contracts: Callable[[str], list[dict[str, Any]]],
    sweep: Callable[..., Any],
) -> None:
    documents = {d["name"]: d for d in chinook_contracts(chinook_service.base_url or "")}
    invoice = documents["chinook_invoice"]
    wrong = {**invoice, "name": "chinook_invoice_misdeclared", "quality": []}
    wrong["schema"] = [dict(f) for f in invoice["schema"] if f["name"] != "customer_id"]
    for field in wrong["schema"]:
        if field["name"] == "invoice_date":
            field["data_type"] = "timestamp"  # the column has no time zone
        if field["name"] == "total":
            field["data_type"] = "float"  # the column is NUMERIC(10, 2)
        if field["name"] == "billing_city":
            field["nullable"] = False  # the column is nullable
    wrong["schema"].append({"name": "currency", "data_type": "string", "nullable": False})
    contract_id = registry.register(wrong)

    await sweep(SweepKind.SCHEMA)
    check = registry.latest(contract_id, "schema")
    assert check["status"] == "fail"
    fields = check["details"]["fields"]
    assert {name for name, entry in fields.items() if entry["status"] == "fail"} == {
        "invoice_date",
        "total",
        "billing_city",
        "currency",
    }
    assert fields["total"]["problems"][0]["found"] == "NUMERIC(10, 2)"
    assert fields["invoice_date"]["problems"][0]["found"] == "TIMESTAMP WITHOUT TIME ZONE"
    assert fields["currency"]["problems"][0]["problem"] == "missing_column"
    assert fields["customer_id"]["problems"][0]["problem"] == "undocumented_column"
    assert fields["customer_id"]["status"] == "warning"
