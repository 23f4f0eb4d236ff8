"""Change policy and field deprecation: the model, the classifier and ODCS (docs/workflow.md)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, Severity, diff_contracts
from datapact_common.odcs import from_odcs, to_odcs

Doc = dict[str, Any]
Evolve = Callable[..., ContractDefinition]


def _deprecate(name: str, **details: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        next(f for f in doc["schema"] if f["name"] == name)["deprecated"] = details

    return change


def _policy(policy: Doc | None) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc["change_policy"] = policy

    return change


def _versioned(old: ContractDefinition, new: ContractDefinition) -> list[Any]:
    return [c for c in diff_contracts(old, new).changes if c.versioned]


def test_absent_policy_and_deprecation_keep_the_old_document(orders: ContractDefinition) -> None:
    document = orders.to_document()
    assert document["change_policy"] is None
    assert all(f["deprecated"] is None for f in document["schema"])
    assert diff_contracts(orders, orders).changes == []


def test_a_policy_defaults_to_two_weeks_notice_without_approval(evolve: Evolve) -> None:
    contract = evolve(_policy({}))
    assert contract.change_policy is not None
    assert (contract.change_policy.notice_days, contract.change_policy.require_approval) == (
        14,
        False,
    )


@pytest.mark.parametrize(
    ("details", "problem"),
    [
        ({"since": "2026-03-01", "sunset": "2026-02-01"}, "before since"),
        ({"replacement": "nowhere"}, "unknown field 'nowhere'"),
        ({"replacement": "email"}, "its own replacement"),
        ({"sunset": "soon"}, "sunset"),
        ({"until": "2026-01-01"}, "until"),
    ],
)
def test_bad_deprecations_are_refused(orders_doc: Doc, details: Doc, problem: str) -> None:
    doc = copy.deepcopy(orders_doc)
    _deprecate("email", **details)(doc)
    with pytest.raises(ValidationError, match=problem):
        ContractDefinition.model_validate(doc)


@pytest.mark.parametrize(
    "policy", [{"notice_days": -1}, {"notice_days": 366}, {"require_approval": "maybe"}]
)
def test_bad_policies_are_refused(orders_doc: Doc, policy: Doc) -> None:
    with pytest.raises(ValidationError, match="change_policy"):
        ContractDefinition.model_validate({**orders_doc, "change_policy": policy})


def test_marking_a_field_deprecated_is_a_warning_for_its_readers(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    new = evolve(_deprecate("email", since="2026-01-01", sunset="2026-03-01", replacement="state"))
    [change] = _versioned(orders, new)
    assert (change.kind, change.severity) == (ChangeKind.FIELD_DEPRECATED, Severity.WARNING)
    assert change.field == "email"
    assert change.affected_subscribers == ["analytics", "marketing"]
    assert "sunset 2026-03-01" in change.message and "'state'" in change.message
    assert diff_contracts(orders, new).required_bump == "minor"


@pytest.mark.parametrize(
    ("before", "after", "severity"),
    [
        ({"sunset": "2026-03-01"}, {"sunset": "2026-02-01"}, Severity.WARNING),
        ({}, {"sunset": "2026-02-01"}, Severity.WARNING),
        ({"sunset": "2026-03-01"}, {"sunset": "2026-04-01"}, Severity.INFO),
        ({"sunset": "2026-03-01"}, None, Severity.INFO),
    ],
)
def test_changing_a_deprecation(
    evolve: Evolve, before: Doc, after: Doc | None, severity: Severity
) -> None:
    old = evolve(_deprecate("email", **before), version="1.0.0")
    new = evolve(_deprecate("email", **after) if after is not None else None, version="1.1.0")
    [change] = _versioned(old, new)
    assert (change.kind, change.severity) == (ChangeKind.FIELD_DEPRECATION_CHANGED, severity)


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (None, {}, ChangeKind.CHANGE_POLICY_CHANGED),
        ({"notice_days": 14}, {"notice_days": 30}, ChangeKind.CHANGE_POLICY_CHANGED),
        ({"require_approval": False}, {"require_approval": True}, ChangeKind.CHANGE_POLICY_CHANGED),
        ({"notice_days": 14}, {"notice_days": 7}, ChangeKind.CHANGE_POLICY_LOOSENED),
        (
            {"require_approval": True},
            {"require_approval": False},
            ChangeKind.CHANGE_POLICY_LOOSENED,
        ),
        ({}, None, ChangeKind.CHANGE_POLICY_LOOSENED),
    ],
)
def test_loosening_the_change_policy_is_a_warning(
    evolve: Evolve, before: Doc | None, after: Doc | None, kind: ChangeKind
) -> None:
    old = evolve(_policy(before), version="1.0.0")
    new = evolve(_policy(after), version="1.1.0")
    [change] = _versioned(old, new)
    assert change.kind == kind
    loosened = kind is ChangeKind.CHANGE_POLICY_LOOSENED
    assert change.severity == (Severity.WARNING if loosened else Severity.INFO)
    assert change.affected_subscribers == (
        ["analytics", "finance", "marketing"] if loosened else []
    )


@pytest.mark.parametrize("version", ["v3.1.0", "v3.2.0"])
def test_odcs_carries_policy_and_deprecation(evolve: Evolve, version: str) -> None:
    def change(doc: Doc) -> None:
        _policy({"notice_days": 30, "require_approval": True})(doc)
        _deprecate("email", since="2026-01-01", sunset="2026-03-01", replacement="state")(doc)
        _deprecate("amount")(doc)

    contract = evolve(change)
    exported = to_odcs(contract, api_version=version)
    props = {p["name"]: p for p in exported["schema"][0]["properties"]}
    if version == "v3.2.0":  # the standard's own flag where it has one
        assert props["email"]["deprecated"] is True and props["amount"]["deprecated"] is True
        assert "deprecated" not in props["state"]
    else:
        assert all("deprecated" not in p for p in props.values())
    [again] = from_odcs(exported)
    assert again.change_policy == contract.change_policy
    assert [f.deprecated for f in again.schema_fields] == [
        f.deprecated for f in contract.schema_fields
    ]


def test_odcs_v32_deprecated_flag_imports_as_a_deprecation_without_dates(
    orders: ContractDefinition,
) -> None:
    exported = to_odcs(orders, api_version="v3.2.0")
    exported["schema"][0]["properties"][2]["deprecated"] = True
    [imported] = from_odcs(exported)
    email = imported.field("email")
    assert email is not None and email.deprecated is not None
    assert email.deprecated.sunset is None
    assert to_odcs(imported, api_version="v3.2.0")["schema"][0]["properties"][2]["deprecated"]
