"""Who hears about an event: publisher, subscribers filtered by fields, watchers by scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from datapact_common.events import EventEnvelope
from notification_service.recipients.contract import ContractView
from notification_service.recipients.resolver import resolve_recipients


@dataclass
class W:
    target: str
    contract_name: str | None = None
    team: str | None = None
    event_types: list[str] = field(default_factory=list)
    channel: str = "email"


def addresses(event: dict[str, Any], contract: dict[str, Any] | None, watchers: list[W] = []):  # noqa: B006
    envelope = EventEnvelope.model_validate(event)
    view = ContractView.from_document(contract) if contract else None
    return {r.address: r for r in resolve_recipients(envelope, view, watchers)}


def test_drift_reaches_publisher_and_only_subscribers_using_the_fields(
    new_event: Any, new_contract: Any
) -> None:
    got = addresses(new_event("schema_drift", fields=["amount"]), new_contract())
    # finance uses amount; bi uses everything (empty fields_used); marketing does not.
    assert set(got) == {"owner@sales.example", "finance@corp.example", "bi@corp.example"}
    assert got["finance@corp.example"].reason == "subscriber (finance, uses amount)"
    assert got["owner@sales.example"].reason == "publisher (sales)"


@pytest.mark.parametrize(
    "kind",
    [
        "quality_breach",
        "breaking_change_proposed",
        "pr_blocked",
        "contract_updated",
        "compliance_recovered",  # the fields of the failure it closes: the same people
    ],
)
def test_field_filter_applies_to_field_level_types(
    kind: str, new_event: Any, new_contract: Any
) -> None:
    got = addresses(new_event(kind, fields=["customer_id"]), new_contract())
    assert set(got) == {"owner@sales.example", "marketing@corp.example", "bi@corp.example"}


def test_a_subscriber_the_change_names_is_told_though_the_field_left_its_fields_used(
    new_event: Any, new_contract: Any
) -> None:
    """A published field removal prunes the field from the registered subscribers'
    ``fields_used`` in the same change; the event's ``affected_subscribers`` still names them
    (found by the end-to-end scenario: the subscriber of a removed field heard nothing)."""
    contract = new_contract()
    for subscriber in contract["subscribers"]:
        if subscriber["team"] == "finance":
            subscriber["fields_used"] = ["order_id"]  # "amount" was pruned by the removal
    change = {"kind": "field_removed", "severity": "breaking", "field": "amount",
              "message": "field 'amount' removed", "affected_subscribers": ["finance"]}  # fmt: skip
    updated = new_event("contract_updated", fields=["amount"], payload={"changes": [change]})
    got = addresses(updated, contract)
    assert set(got) == {"owner@sales.example", "finance@corp.example", "bi@corp.example"}
    assert got["finance@corp.example"].reason == "subscriber (finance, affected by amount)"
    # Only a change of one of the event's fields counts.
    unrelated = new_event("contract_updated", fields=["status"], payload={"changes": [change]})
    assert "finance@corp.example" not in addresses(unrelated, contract)


def test_no_fields_in_the_payload_concerns_every_subscriber(
    new_event: Any, new_contract: Any
) -> None:
    got = addresses(new_event("schema_drift", fields=[]), new_contract())
    assert len(got) == 4


@pytest.mark.parametrize("kind", ["deprecation_warning", "availability_breach"])
def test_contract_wide_types_reach_every_subscriber(
    kind: str, new_event: Any, new_contract: Any
) -> None:
    got = addresses(new_event(kind, fields=["amount"]), new_contract())
    assert "marketing@corp.example" in got and len(got) == 4


def test_addresses_are_deduplicated_case_insensitively(new_event: Any, new_contract: Any) -> None:
    contract = new_contract(
        publisher_email="Owner@Sales.example",
        subscribers=[
            {"team": "a", "contact_email": "owner@sales.example"},
            {"team": "b", "contact_email": None},
        ],
    )
    got = addresses(
        new_event("deprecation_warning"), contract, [W("OWNER@sales.example ", team="sales")]
    )
    assert list(got) == ["owner@sales.example"]
    assert got["owner@sales.example"].reason == (
        "publisher (sales); subscriber (a); watcher (team sales)"
    )


def test_watchers_by_contract_team_everything_and_types(new_event: Any, new_contract: Any) -> None:
    watchers = [
        W("contract@x.example", contract_name="orders"),
        W("other-contract@x.example", contract_name="customers"),
        W("team@x.example", team="sales"),
        W("other-team@x.example", team="hr"),
        W("all@x.example"),
        W("drift-only@x.example", event_types=["schema_drift"]),
        W("updates-only@x.example", event_types=["contract_updated"]),
        W("#data-alerts", channel="slack"),
    ]
    got = addresses(new_event("schema_drift", fields=["amount"]), new_contract(), watchers)
    assert {a for a in got if "x.example" in a} == {
        "contract@x.example",
        "team@x.example",
        "all@x.example",
        "drift-only@x.example",
    }
    assert got["#data-alerts"].channel == "slack"


def test_unknown_contract_still_reaches_watchers_of_its_name(new_event: Any) -> None:
    watchers = [W("c@x.example", contract_name="orders"), W("t@x.example", team="sales")]
    got = addresses(new_event("schema_drift"), None, watchers)
    assert set(got) == {"c@x.example"}


def test_a_field_sunset_reaches_only_that_fields_readers(new_event: Any, new_contract: Any) -> None:
    event = new_event(
        "deprecation_warning", fields=["amount"], payload={"field": "amount", "stage": "7d"}
    )
    got = addresses(event, new_contract())
    assert "marketing@corp.example" not in got
    assert {"finance@corp.example", "bi@corp.example", "owner@sales.example"} <= set(got)
