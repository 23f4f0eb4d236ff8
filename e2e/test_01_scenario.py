"""The way a data team lives it, on the whole platform (ordered steps, one shared story).

1. The shop team registers its ``shop_customers`` contract (the template data service's
   contract.yaml, pointed at the running template API); the support team subscribes for
   ``phone``. The monitor checks it: everything passes.
2. Somebody drops ``customers.phone`` in the database. The schema check fails; the publisher
   and support (who uses ``phone``) get exactly one e-mail each, however many sweeps follow;
   marketing (who does not) gets none. The dashboard's APIs show the failure.
3. The column comes back: a "recovered" e-mail.
4. A pull request removes ``phone`` from contract.yaml with a minor bump: the GitHub check
   fails and support hears of it; the fix (major bump) passes; the merge publishes 2.0.0 in
   the registry, and the dictionary finds it within seconds.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from e2e.harness import (
    Stack,
    eventually,
    publisher_headers,
    template_contract,
)

pytestmark = pytest.mark.incremental

CONTRACT = "shop_customers"
PUBLISHER = "shop-data@example.com"
SUBSCRIBER = "support@example.com"  # uses phone
BYSTANDER = "marketing@example.com"  # subscribes, but not to phone
COLUMN = "phone"
CHECK_TYPES = {"schema", "freshness", "completeness", "uniqueness", "availability"}


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    """What one step leaves for the next."""
    return {}


def contract_body(stack: Stack, contract_id: str) -> dict[str, Any]:
    body: dict[str, Any] = stack.get_json("contract-api", f"/api/v1/contracts/{contract_id}")
    return body


def compliance_records(stack: Stack, contract_id: str, **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = stack.get_json(
        "contract-api", f"/api/v1/contracts/{contract_id}/compliance", limit=1, **params
    )
    return body


def sent(stack: Stack, address: str, event_type: str) -> list[dict[str, Any]]:
    return stack.sent_to(address, event_type, CONTRACT)


def test_step1_register_subscribe_and_the_monitor_passes_it(
    stack: Stack, story: dict[str, Any]
) -> None:
    document = template_contract(CONTRACT, stack.template_url)
    story["document"] = copy.deepcopy(document)
    with stack.client("contract-api") as api:
        created = api.post(
            "/api/v1/contracts", json=document, headers=publisher_headers("commerce", "shop-data")
        )
        assert created.status_code == 201, created.text
        contract_id = created.json()["id"]
        story["id"] = contract_id
        subscribed = api.post(
            f"/api/v1/contracts/{contract_id}/subscribers",
            json={"team": "support", "use_case": "Call customers back about their orders.",
                  "fields_used": ["id", "full_name", COLUMN], "contact_email": SUBSCRIBER},
            headers=publisher_headers("support", "sam"),
        )  # fmt: skip
        assert subscribed.status_code == 201, subscribed.text

    def all_checks_recorded() -> dict[str, Any] | None:
        compliance = contract_body(stack, contract_id)["compliance"]
        return compliance if set(compliance["checks"]) >= CHECK_TYPES else None

    compliance = eventually(
        all_checks_recorded, "the monitor to record every check", logs=stack.logs
    )
    statuses = {kind: check["status"] for kind, check in compliance["checks"].items()}
    assert compliance["status"] == "pass", statuses
    assert set(statuses.values()) == {"pass"}, statuses
    assert stack.mailbox.messages == []


def test_step2_a_dropped_column_alerts_the_publisher_and_the_subscriber_once(
    stack: Stack, story: dict[str, Any]
) -> None:
    contract_id = story["id"]
    stack.sql("template-data-service", "ALTER TABLE customers DROP COLUMN phone")

    def failing() -> dict[str, Any] | None:
        compliance = contract_body(stack, contract_id)["compliance"]
        return compliance if compliance["checks"]["schema"]["status"] == "fail" else None

    compliance = eventually(failing, "the schema check to fail", logs=stack.logs)
    assert compliance["status"] == "fail"
    assert COLUMN in (compliance["checks"]["schema"]["error_message"] or "")

    def told(address: str) -> list[dict[str, Any]]:
        return eventually(
            lambda: sent(stack, address, "schema_drift"),
            f"the schema_drift e-mail to {address}",
            logs=lambda: stack.logs("notification-worker", "monitor-worker"),
        )

    told(PUBLISHER)
    told(SUBSCRIBER)

    # Several more sweeps find the same failure: recorded each time, alerted once.
    failures_so_far = compliance_records(stack, contract_id, check_type="schema", status="fail")
    eventually(
        lambda: (
            compliance_records(stack, contract_id, check_type="schema", status="fail")["total"]
            >= failures_so_far["total"] + 3
        ),
        "three more failing schema sweeps",
        logs=stack.logs,
    )
    drift_events = {n["event_id"] for n in stack.notifications(type="schema_drift")}
    assert len(drift_events) == 1
    for address in (PUBLISHER, SUBSCRIBER):
        notifications = sent(stack, address, "schema_drift")
        assert len(notifications) == 1, notifications
        emails = stack.emails_of(notifications)
        assert len(emails) == 1
        assert len(stack.mailbox.to(address)) == 1
        assert CONTRACT in emails[0]["Subject"]
    assert stack.mailbox.to(BYSTANDER) == []
    assert stack.notifications(recipient=BYSTANDER) == []

    # What the dashboard reads: the registry's compliance summary and the monitor's status.
    summary = stack.get_json("contract-api", "/api/v1/compliance/summary")
    [row] = [c for c in summary["contracts"] if c["contract_id"] == contract_id]
    assert row["status"] == "fail"
    assert summary["totals"]["fail"] >= 1
    status = stack.get_json("monitor-api", "/api/v1/status")
    assert status["sweeps"]["schema"]["failed"] >= 1


def test_step3_the_column_comes_back_and_everyone_hears_it_recovered(
    stack: Stack, story: dict[str, Any]
) -> None:
    contract_id = story["id"]
    # Back with its data in one transaction, so no sweep sees an empty column.
    stack.sql_transaction(
        "template-data-service",
        "ALTER TABLE customers ADD COLUMN phone varchar(40)",
        "UPDATE customers SET phone = '+1 555 ' || lpad(id::text, 7, '0')",
    )

    def passing() -> dict[str, Any] | None:
        compliance = contract_body(stack, contract_id)["compliance"]
        return compliance if compliance["checks"]["schema"]["status"] == "pass" else None

    eventually(passing, "the schema check to pass again", logs=stack.logs)
    for address in (PUBLISHER, SUBSCRIBER):
        recovered = eventually(
            lambda a=address: sent(stack, a, "compliance_recovered"),  # type: ignore[misc]
            f"the recovery e-mail to {address}",
            logs=lambda: stack.logs("notification-worker", "monitor-worker"),
        )
        assert len(recovered) == 1
        [email] = stack.emails_of(recovered)
        assert CONTRACT in email["Subject"]
    # Still one drift e-mail each: the recovery did not re-send anything.
    assert len(sent(stack, SUBSCRIBER, "schema_drift")) == 1
    eventually(
        lambda: contract_body(stack, contract_id)["compliance"]["status"] == "pass",
        "the contract to be compliant again",
        logs=stack.logs,
    )
