"""The way a data team lives it, on the whole platform (ordered steps, one shared story).

1. The shop team registers its ``shop_customers`` contract (the template data service's
   contract.yaml, pointed at the data agent serving the shop database, as the Procfile
   runs it); the support team subscribes for ``phone``. The monitor checks it: everything
   passes, its value rules included.
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
import json
from typing import Any

import pytest

from datapact_common.yaml_io import dump_yaml
from datapact_testing.github_webhooks import deliver, pull_request_body, push_body
from e2e.harness import (
    WEBHOOK_SECRET,
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
CHECK_TYPES = {"schema", "freshness", "completeness", "uniqueness", "availability", "validity"}
# the value rules of shop_customers, counted by the data agent (protocol 2)
VALUE_RULES = {
    "email:max_length", "email:regex", "full_name:max_length", "phone:max_length",
    "country_code:regex", "loyalty_tier:enum",
}  # fmt: skip


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
    rules = compliance["checks"]["validity"]["rules"]
    assert set(rules) == VALUE_RULES, rules
    assert {rule["status"] for rule in rules.values()} == {"pass"}, rules
    assert {rule["violations"] for rule in rules.values()} == {0}, rules
    assert stack.notifications(contract=CONTRACT) == []


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
        text = emails[0].get_body(("plain",))
        assert text is not None and COLUMN in text.get_content()
    assert stack.mailbox.to(BYSTANDER) == []
    assert stack.notifications(recipient=BYSTANDER) == []

    # What the dashboard reads: the registry's compliance summary and the monitor's status.
    summary = stack.get_json("contract-api", "/api/v1/compliance/summary")
    [row] = [c for c in summary["contracts"] if c["contract_id"] == contract_id]
    assert row["status"] == "fail"
    assert summary["totals"]["fail"] >= 1
    status = stack.get_json("monitor-api", "/api/v1/status")
    assert status["sweeps"]["schema"]["failed"] >= 1


def test_step3_the_column_comes_back_and_those_told_hear_it_recovered(
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
    # The recovery reaches the people the failure reached, not the bystander.
    assert sent(stack, BYSTANDER, "compliance_recovered") == []
    eventually(
        lambda: contract_body(stack, contract_id)["compliance"]["status"] == "pass",
        "the contract to be compliant again",
        logs=stack.logs,
    )


def without_column(document: dict[str, Any], version: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["version"] = version
    changed["schema"] = [f for f in changed["schema"] if f["name"] != COLUMN]
    return changed


def completed_run(stack: Stack, head_sha: str, what: str) -> dict[str, Any]:
    def completed() -> dict[str, Any] | None:
        runs = [r for r in stack.github.runs_for(head_sha) if r["status"] == "completed"]
        return runs[-1] if runs else None

    return eventually(completed, what, logs=lambda: stack.logs("contract-worker"))


def test_step4_a_pull_request_dropping_the_column_is_blocked_then_fixed_and_merged(
    stack: Stack, story: dict[str, Any]
) -> None:
    contract_id, document = story["id"], story["document"]
    github = stack.github
    repo = github.add_repo("acme", "shop-data")
    base = repo.commit({"contract.yaml": dump_yaml(document), "README.md": "shop data\n"})

    # A pull request drops phone from the contract with a minor bump only.
    minor = without_column(document, "1.1.0")
    head = repo.commit({"contract.yaml": dump_yaml(minor)}, parent=base)
    repo.open_pull(7, base, head)
    opened = pull_request_body(
        repo, 7, action="opened", title="Stop publishing phone numbers", author="dev-dana"
    )
    forged = deliver(stack.contract_url, "not-the-secret", "pull_request", opened)
    assert forged.status_code == 401, forged.text
    accepted = deliver(stack.contract_url, WEBHOOK_SECRET, "pull_request", opened)
    assert accepted.status_code == 202 and accepted.json()["status"] == "queued", accepted.text

    run = completed_run(stack, head, "the check run of the pull request")
    assert run["name"] == "DataPact Contract Check"
    assert run["conclusion"] == "failure", run["output"]
    failures = [a for a in github.annotations[run["id"]] if a["annotation_level"] == "failure"]
    assert failures, github.annotations[run["id"]]
    assert any(a["path"] == "contract.yaml" for a in failures)
    assert "support" in json.dumps(run["output"]), run["output"]["summary"]

    blocked = eventually(
        lambda: sent(stack, SUBSCRIBER, "pr_blocked"),
        "the pr_blocked e-mail to the subscriber",
        logs=lambda: stack.logs("contract-worker", "notification-worker"),
    )
    [email] = stack.emails_of(blocked)
    assert "acme/shop-data#7" in email["Subject"], email["Subject"]
    assert stack.notifications(recipient=BYSTANDER, type="pr_blocked") == []

    # The author fixes it with a major bump: the check passes.
    major = without_column(document, "2.0.0")
    fixed = repo.commit({"contract.yaml": dump_yaml(major)}, parent=head)
    repo.open_pull(7, base, fixed)
    synchronized = pull_request_body(
        repo, 7, action="synchronize", title="Stop publishing phone numbers", author="dev-dana"
    )
    response = deliver(stack.contract_url, WEBHOOK_SECRET, "pull_request", synchronized)
    assert response.status_code == 202, response.text
    run = completed_run(stack, fixed, "the check run of the fix")
    assert run["conclusion"] == "success", run["output"]

    # The fix still proposes the breaking change; the subscriber was told already.
    def both_proposals() -> list[dict[str, Any]] | None:
        found = stack.notifications(recipient=SUBSCRIBER, type="breaking_change_proposed")
        return found if len(found) == 2 else None

    proposals = eventually(
        both_proposals,
        "the second breaking_change_proposed to be processed",
        logs=lambda: stack.logs("contract-worker", "notification-worker"),
    )
    assert sorted((n["status"], n["suppressed_reason"]) for n in proposals) == [
        ("sent", None),
        ("suppressed", "duplicate"),
    ]
    # The registry did not move: a pull request is only a proposal.
    assert contract_body(stack, contract_id)["version"] == "1.0.0"

    # Merged: the push to the default branch publishes 2.0.0.
    merged = repo.commit({"contract.yaml": dump_yaml(major)}, parent=base)
    push = push_body(
        repo, base, merged, modified=["contract.yaml"], pusher="merge-bot", installation=1
    )
    response = deliver(stack.contract_url, WEBHOOK_SECRET, "push", push)
    assert response.status_code == 202, response.text
    registered = eventually(
        lambda: (body := contract_body(stack, contract_id))["version"] == "2.0.0" and body,
        "the registry to publish 2.0.0",
        logs=lambda: stack.logs("contract-worker"),
    )
    assert COLUMN not in {f["name"] for f in registered["schema"]}
    versions = stack.get_json("contract-api", f"/api/v1/contracts/{contract_id}/versions")
    assert [v["version"] for v in versions["versions"]] == ["1.0.0", "2.0.0"]
    assert versions["versions"][-1]["changed_by"] == "merge-bot"

    # ... and the data dictionary finds the new version within seconds.
    def searchable() -> dict[str, Any] | None:
        found = stack.get_json(
            "dictionary-api", "/api/v1/dictionary/search", q=CONTRACT, kind="dataset"
        )
        hits = [r for r in found["results"] if r["dataset"] == CONTRACT]
        return hits[0] if hits and hits[0]["version"] == "2.0.0" else None

    # A deadline for the poll, not a measurement: the nudge usually makes it well under a second.
    eventually(searchable, "dictionary search to show 2.0.0", timeout=30, logs=stack.logs)
    dataset = stack.get_json("dictionary-api", f"/api/v1/dictionary/datasets/{CONTRACT}")
    assert COLUMN not in {f["name"] for f in dataset["fields"]}

    # Subscribers using phone hear of the published breaking change.
    updated = eventually(
        lambda: sent(stack, SUBSCRIBER, "contract_updated"),
        "the contract_updated e-mail to the subscriber",
        logs=lambda: stack.logs("contract-worker", "notification-worker"),
    )
    assert len(updated) == 1
    [email] = stack.emails_of(updated)
    assert "1.0.0 -> 2.0.0" in email["Subject"], email["Subject"]
