"""The change classifier against the rules of docs/design.md §4, and the semver policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, ChangeReport, Severity, diff_contracts

Doc = dict[str, Any]
Evolve = Callable[..., ContractDefinition]
ALL = ["analytics", "finance", "marketing"]  # analytics has empty fields_used = every field


def _field(doc: Doc, name: str) -> Doc:
    return next(f for f in doc["schema"] if f["name"] == name)


def _constraint(doc: Doc, field: str, kind: str) -> Doc:
    return next(c for c in _field(doc, field)["constraints"] if c["type"] == kind)


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        target: Any = doc
        *parents, last = path.split(".")
        for part in parents:
            target = _field({"schema": target}, part) if isinstance(target, list) else target[part]
        target[last] = value

    return change


def _remove_field(name: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc["schema"] = [f for f in doc["schema"] if f["name"] != name]
        for sub in doc["subscribers"]:
            sub["fields_used"] = [f for f in sub["fields_used"] if f != name]

    return change


def _rename_customer(doc: Doc) -> None:
    _field(doc, "customer_id")["name"] = "buyer_id"


def _drop_pk(doc: Doc) -> None:
    _field(doc, "order_id")["is_primary_key"] = False


def _pk_grows(doc: Doc) -> None:
    _field(doc, "created_at")["is_primary_key"] = True


def _set_constraint(field: str, kind: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        _constraint(doc, field, kind)["value"] = value

    return change


def _drop_constraint(field: str, kind: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        f = _field(doc, field)
        f["constraints"] = [c for c in f["constraints"] if c["type"] != kind]

    return change


def _add_constraint(field: str, constraint: Doc) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        _field(doc, field).setdefault("constraints", []).append(constraint)

    return change


def _quality(metric: str, threshold: str | None) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        rest = [q for q in doc["quality"] if q["metric_type"] != metric]
        old = next((q for q in doc["quality"] if q["metric_type"] == metric), None)
        if threshold is not None:
            rest.append({**(old or {"metric_type": metric}), "threshold": threshold})
        doc["quality"] = rest

    return change


def _add_field(doc: Doc) -> None:
    doc["schema"].append({"name": "coupon", "data_type": "string"})


def _subscriber_joins(doc: Doc) -> None:
    doc["subscribers"].append({"team": "fraud", "fields_used": ["email"]})


def _subscriber_leaves(doc: Doc) -> None:
    doc["subscribers"] = doc["subscribers"][1:]


def _subscriber_changes(doc: Doc) -> None:
    doc["subscribers"][0]["fields_used"].append("state")


ROWS: list[tuple[str, Callable[[Doc], None], ChangeKind, Severity, list[str]]] = [
    # breaking
    (
        "field removed",
        _remove_field("email"),
        ChangeKind.FIELD_REMOVED,
        Severity.BREAKING,
        ["analytics", "marketing"],
    ),
    ("field renamed", _rename_customer, ChangeKind.FIELD_RENAMED, Severity.BREAKING, ["analytics"]),
    (
        "data_type changed",
        _set("schema.amount.data_type", "float"),
        ChangeKind.TYPE_CHANGED,
        Severity.BREAKING,
        ["analytics", "finance"],
    ),
    (
        "nullable false->true",
        _set("schema.amount.nullable", True),
        ChangeKind.NULLABLE_RELAXED,
        Severity.BREAKING,
        ["analytics", "finance"],
    ),
    (
        "min lowered",
        _set_constraint("amount", "min", -1),
        ChangeKind.CONSTRAINT_LOOSENED,
        Severity.BREAKING,
        ["analytics", "finance"],
    ),
    (
        "max raised",
        _set_constraint("amount", "max", 20000),
        ChangeKind.CONSTRAINT_LOOSENED,
        Severity.BREAKING,
        ["analytics", "finance"],
    ),
    (
        "max_length raised",
        _set_constraint("email", "max_length", 300),
        ChangeKind.CONSTRAINT_LOOSENED,
        Severity.BREAKING,
        ["analytics", "marketing"],
    ),
    (
        "regex changed",
        _set_constraint("email", "regex", ".+"),
        ChangeKind.CONSTRAINT_LOOSENED,
        Severity.BREAKING,
        ["analytics", "marketing"],
    ),
    (
        "constraint removed",
        _drop_constraint("email", "max_length"),
        ChangeKind.CONSTRAINT_LOOSENED,
        Severity.BREAKING,
        ["analytics", "marketing"],
    ),
    (
        "primary key field dropped",
        _drop_pk,
        ChangeKind.PRIMARY_KEY_CHANGED,
        Severity.BREAKING,
        ["analytics", "finance"],
    ),
    (
        "primary key field added",
        _pk_grows,
        ChangeKind.PRIMARY_KEY_CHANGED,
        Severity.BREAKING,
        ["analytics"],
    ),
    (
        "freshness weakened",
        _quality("freshness", "1 hour"),
        ChangeKind.SLA_WEAKENED,
        Severity.BREAKING,
        ALL,
    ),
    (
        "completeness weakened",
        _quality("completeness", "99%"),
        ChangeKind.SLA_WEAKENED,
        Severity.BREAKING,
        ALL,
    ),
    ("SLA removed", _quality("freshness", None), ChangeKind.SLA_WEAKENED, Severity.BREAKING, ALL),
    ("table changed", _set("table", "orders_v2"), ChangeKind.TABLE_CHANGED, Severity.BREAKING, ALL),
    (
        "table back to default",
        _set("table", None),
        ChangeKind.TABLE_CHANGED,
        Severity.BREAKING,
        ALL,
    ),
    # warning
    (
        "enum value added",
        _set_constraint("state", "enum", ["new", "paid", "shipped", "lost"]),
        ChangeKind.ENUM_VALUES_CHANGED,
        Severity.WARNING,
        ["analytics"],
    ),
    (
        "enum value removed",
        _set_constraint("state", "enum", ["new", "paid"]),
        ChangeKind.ENUM_VALUES_CHANGED,
        Severity.WARNING,
        ["analytics"],
    ),
    (
        "endpoint changed",
        _set("access.endpoint_url", "https://new.example.com/o"),
        ChangeKind.ACCESS_CHANGED,
        Severity.WARNING,
        ALL,
    ),
    (
        "auth changed",
        _set("access.auth_type", "api_key"),
        ChangeKind.ACCESS_CHANGED,
        Severity.WARNING,
        ALL,
    ),
    (
        "scopes changed",
        _set("access.required_scopes", ["orders:all"]),
        ChangeKind.ACCESS_CHANGED,
        Severity.WARNING,
        ALL,
    ),
    ("access removed", _set("access", None), ChangeKind.ACCESS_CHANGED, Severity.WARNING, ALL),
    ("deprecated", _set("status", "deprecated"), ChangeKind.DEPRECATED, Severity.WARNING, ALL),
    (
        "is_pii set",
        _set("schema.amount.is_pii", True),
        ChangeKind.PII_CHANGED,
        Severity.WARNING,
        ["analytics", "finance"],
    ),
    (
        "is_pii cleared",
        _set("schema.email.is_pii", False),
        ChangeKind.PII_CHANGED,
        Severity.WARNING,
        ["analytics", "marketing"],
    ),
    (
        "foreign key changed",
        _set("schema.customer_id.foreign_key_reference", "clients.id"),
        ChangeKind.FOREIGN_KEY_CHANGED,
        Severity.WARNING,
        ["analytics"],
    ),
    # info
    (
        "unique added",
        _set("schema.email.unique", True),
        ChangeKind.UNIQUE_TIGHTENED,
        Severity.INFO,
        [],
    ),
    ("field added", _add_field, ChangeKind.FIELD_ADDED, Severity.INFO, []),
    (
        "description changed",
        _set("description", "All orders"),
        ChangeKind.DOCS_CHANGED,
        Severity.INFO,
        [],
    ),
    ("tags changed", _set("tags", ["sales"]), ChangeKind.DOCS_CHANGED, Severity.INFO, []),
    ("metadata changed", _set("metadata", {"tier": 2}), ChangeKind.DOCS_CHANGED, Severity.INFO, []),
    (
        "field description changed",
        _set("schema.email.description", "Where we write"),
        ChangeKind.FIELD_DOCS_CHANGED,
        Severity.INFO,
        [],
    ),
    (
        "example changed",
        _set("schema.amount.example_value", 99),
        ChangeKind.FIELD_DOCS_CHANGED,
        Severity.INFO,
        [],
    ),
    (
        "constraint message changed",
        lambda d: _constraint(d, "email", "regex").update(message="bad"),
        ChangeKind.FIELD_DOCS_CHANGED,
        Severity.INFO,
        [],
    ),
    (
        "min raised",
        _set_constraint("amount", "min", 1),
        ChangeKind.CONSTRAINT_TIGHTENED,
        Severity.INFO,
        [],
    ),
    (
        "max lowered",
        _set_constraint("amount", "max", 500),
        ChangeKind.CONSTRAINT_TIGHTENED,
        Severity.INFO,
        [],
    ),
    (
        "constraint added",
        _add_constraint("email", {"type": "min_length", "value": 3}),
        ChangeKind.CONSTRAINT_TIGHTENED,
        Severity.INFO,
        [],
    ),
    (
        "nullable true->false",
        _set("schema.email.nullable", False),
        ChangeKind.NULLABLE_TIGHTENED,
        Severity.INFO,
        [],
    ),
    (
        "freshness strengthened",
        _quality("freshness", "5 minutes"),
        ChangeKind.SLA_STRENGTHENED,
        Severity.INFO,
        [],
    ),
    (
        "completeness strengthened",
        _quality("completeness", "99.9%"),
        ChangeKind.SLA_STRENGTHENED,
        Severity.INFO,
        [],
    ),
    ("SLA added", _quality("uniqueness", "100%"), ChangeKind.SLA_STRENGTHENED, Severity.INFO, []),
    (
        "SLA rewritten, same value",
        _quality("freshness", "PT15M"),
        ChangeKind.SLA_SETTINGS_CHANGED,
        Severity.INFO,
        [],
    ),
    (
        "SLA alerting switched off",
        lambda d: d["quality"][1].update(alert_on_breach=False),
        ChangeKind.SLA_SETTINGS_CHANGED,
        Severity.INFO,
        [],
    ),
    (
        "rate limit changed",
        _set("access.rate_limit", "10/second"),
        ChangeKind.ACCESS_SETTINGS_CHANGED,
        Severity.INFO,
        [],
    ),
    ("draft -> active", None, ChangeKind.STATUS_CHANGED, Severity.INFO, []),
    (
        "publisher changed",
        _set("publisher.owner", "bob"),
        ChangeKind.PUBLISHER_CHANGED,
        Severity.INFO,
        [],
    ),
    ("table written out", None, ChangeKind.DOCS_CHANGED, Severity.INFO, []),
    (
        "enum reordered",
        _set_constraint("state", "enum", ["paid", "new", "shipped"]),
        ChangeKind.ENUM_VALUES_CHANGED,
        Severity.INFO,
        [],
    ),
]


def _only(report: ChangeReport) -> Any:
    """The one change that needs a version (removing a used field also edits subscribers)."""
    changes = [c for c in report.changes if c.versioned] or report.changes
    assert len(changes) == 1, [c.message for c in report.changes]
    return changes[0]


@pytest.mark.parametrize(
    ("row", "change", "kind", "severity", "affected"),
    [r for r in ROWS if r[1]],
    ids=[r[0] for r in ROWS if r[1]],
)
def test_design_table_row(
    orders: ContractDefinition,
    evolve: Evolve,
    row: str,
    change: Callable[[Doc], None],
    kind: ChangeKind,
    severity: Severity,
    affected: list[str],
) -> None:
    new = evolve(change, version="9.0.0")
    result = _only(diff_contracts(orders, new))
    assert (result.kind, result.severity) == (kind, severity)
    assert result.affected_subscribers == affected
    assert result.message


def test_unique_dropped_is_breaking(evolve: Evolve) -> None:
    old = evolve(_set("schema.email.unique", True), version="1.0.0")
    change = _only(diff_contracts(old, evolve(None)))
    assert (change.kind, change.severity) == (ChangeKind.UNIQUE_RELAXED, Severity.BREAKING)
    assert change.affected_subscribers == ["analytics", "marketing"]


def test_status_draft_to_active_is_info(evolve: Evolve) -> None:
    draft = evolve(_set("status", "draft"), version="1.0.0")
    active = evolve(None, version="1.0.1")
    change = _only(diff_contracts(draft, active))
    assert (change.kind, change.severity, change.old, change.new) == (
        ChangeKind.STATUS_CHANGED, Severity.INFO, "draft", "active",
    )  # fmt: skip


def test_writing_out_the_default_table_is_not_breaking(evolve: Evolve) -> None:
    implicit = evolve(_set("table", None), version="1.0.0")
    explicit = evolve(_set("table", "orders"), version="1.0.1")
    change = _only(diff_contracts(implicit, explicit))
    assert (change.kind, change.severity) == (ChangeKind.DOCS_CHANGED, Severity.INFO)


@pytest.mark.parametrize("change", [_subscriber_joins, _subscriber_leaves, _subscriber_changes])
def test_subscriber_changes_are_info_and_need_no_version(
    orders: ContractDefinition, evolve: Evolve, change: Callable[[Doc], None]
) -> None:
    report = diff_contracts(orders, evolve(change, version=orders.version))
    result = _only(report)
    assert (result.kind, result.severity, result.versioned) == (
        ChangeKind.SUBSCRIBERS_CHANGED, Severity.INFO, False,
    )  # fmt: skip
    assert report.required_bump == "none" and report.bump_ok
    assert not report.has_versioned_changes


def test_breaking_change_names_subscribers_whose_fields_it_touches(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    change = _only(diff_contracts(orders, evolve(_remove_field("order_id"))))
    # finance uses order_id; analytics uses everything (empty fields_used); marketing does not.
    assert change.affected_subscribers == ["analytics", "finance"]
    assert change.path == "schema.order_id"
    assert change.field == "order_id"


def test_info_changes_name_no_subscribers(orders: ContractDefinition, evolve: Evolve) -> None:
    change = _only(diff_contracts(orders, evolve(_set("schema.amount.description", "Gross"))))
    assert change.affected_subscribers == []


def test_rename_is_only_detected_when_unambiguous(evolve: Evolve) -> None:
    def twins(doc: Doc) -> None:
        doc["schema"] += [
            {"name": "a", "data_type": "string", "description": "same"},
            {"name": "b", "data_type": "string", "description": "same"},
        ]

    old = evolve(twins, version="1.0.0")

    def rename_both(doc: Doc) -> None:
        twins(doc)
        _field(doc, "a")["name"] = "c"
        _field(doc, "b")["name"] = "d"

    kinds = sorted(c.kind for c in diff_contracts(old, evolve(rename_both)).changes)
    assert kinds == ["field_added", "field_added", "field_removed", "field_removed"]


def test_a_field_without_description_is_never_taken_as_renamed(evolve: Evolve) -> None:
    old = evolve(lambda d: _field(d, "customer_id").pop("description"), version="1.0.0")

    def rename(doc: Doc) -> None:
        _field(doc, "customer_id").pop("description")
        _rename_customer(doc)

    kinds = sorted(c.kind for c in diff_contracts(old, evolve(rename)).changes)
    assert kinds == ["field_added", "field_removed"]


def test_a_renamed_field_that_also_changed_type_is_removed_and_added(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    def rename_and_retype(doc: Doc) -> None:
        _rename_customer(doc)
        _field(doc, "buyer_id")["data_type"] = "string"

    kinds = sorted(c.kind for c in diff_contracts(orders, evolve(rename_and_retype)).changes)
    assert kinds == ["field_added", "field_removed"]


def test_one_field_with_several_changes_lists_each(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    def many(doc: Doc) -> None:
        amount = _field(doc, "amount")
        amount.update(data_type="float", nullable=True, is_pii=True, description="x")

    report = diff_contracts(orders, evolve(many))
    assert {c.kind for c in report.changes} == {
        ChangeKind.TYPE_CHANGED, ChangeKind.NULLABLE_RELAXED, ChangeKind.PII_CHANGED,
        ChangeKind.FIELD_DOCS_CHANGED,
    }  # fmt: skip
    assert report.highest_severity is Severity.BREAKING
    assert len(report.breaking) == 2
    assert report.affected_fields == ["amount"]


# -- required bump and the policy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "required"),
    [
        (_remove_field("email"), "major"),
        (_set_constraint("state", "enum", ["new"]), "minor"),
        (_add_field, "minor"),
        (_set("description", "x"), "patch"),
        (_subscriber_joins, "none"),
        (None, "none"),
    ],
)
def test_required_bump(
    orders: ContractDefinition, evolve: Evolve, change: Callable[[Doc], None] | None, required: str
) -> None:
    assert diff_contracts(orders, evolve(change)).required_bump == required


def test_breaking_change_with_minor_bump_is_refused_with_reasons(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    report = diff_contracts(orders, evolve(_remove_field("email"), version="1.3.0"))
    assert not report.bump_ok
    assert (report.required_bump, report.actual_bump) == ("major", "minor")
    assert report.violation == (
        "major version bump required (at least 2.0.0), got minor (1.2.0 -> 1.3.0): "
        "field 'email' removed"
    )


def test_breaking_change_with_major_bump_is_accepted(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    report = diff_contracts(orders, evolve(_remove_field("email"), version="2.0.0"))
    assert report.bump_ok and report.violation is None
    assert (report.old_version, report.new_version) == ("1.2.0", "2.0.0")


def test_added_field_needs_at_least_minor(orders: ContractDefinition, evolve: Evolve) -> None:
    report = diff_contracts(orders, evolve(_add_field, version="1.2.1"))
    assert report.violation is not None
    assert report.violation.startswith("minor version bump required (at least 1.3.0), got patch")
    assert diff_contracts(orders, evolve(_add_field, version="1.3.0")).bump_ok


def test_any_versioned_change_needs_a_new_version(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    report = diff_contracts(orders, evolve(_set("description", "x"), version="1.2.0"))
    assert report.violation == (
        "patch version bump required (at least 1.2.1), got none (1.2.0 -> 1.2.0): "
        "description changed"
    )


def test_a_bigger_bump_than_needed_is_fine(orders: ContractDefinition, evolve: Evolve) -> None:
    assert diff_contracts(orders, evolve(_set("description", "x"), version="3.0.0")).bump_ok


def test_a_lower_version_is_refused(orders: ContractDefinition, evolve: Evolve) -> None:
    report = diff_contracts(orders, evolve(None, version="1.1.9"))
    assert report.actual_bump is None and not report.bump_ok
    assert report.violation == "version 1.1.9 is lower than the current version 1.2.0"


def test_unchanged_document_at_same_version_is_fine(orders: ContractDefinition) -> None:
    report = diff_contracts(orders, orders)
    assert report.changes == [] and report.bump_ok and report.highest_severity is None


def test_violation_lists_at_most_five_reasons(orders: ContractDefinition, evolve: Evolve) -> None:
    def remove_many(doc: Doc) -> None:
        for name in ("email", "amount", "state", "created_at", "customer_id"):
            _remove_field(name)(doc)
        doc["table"] = "elsewhere"

    report = diff_contracts(orders, evolve(remove_many, version="1.3.0"))
    assert len(report.breaking) == 6
    assert report.violation is not None and report.violation.count(";") == 4


def test_report_serializes_to_json(orders: ContractDefinition, evolve: Evolve) -> None:
    report = diff_contracts(orders, evolve(_remove_field("email"), version="1.3.0"))
    data = report.model_dump(mode="json")
    assert data["changes"][0]["kind"] == "field_removed"
    assert data["changes"][0]["severity"] == "breaking"
    assert ChangeReport.model_validate(data) == report


def test_many_renames_at_once_are_each_paired(evolve: Evolve) -> None:
    def wide(doc: Doc) -> None:
        doc["schema"] += [
            {"name": f"col_{i}", "data_type": "string", "description": f"column {i}"}
            for i in range(300)
        ]

    old = evolve(wide, version="1.0.0")

    def rename_all(doc: Doc) -> None:
        wide(doc)
        for i in range(300):
            _field(doc, f"col_{i}")["name"] = f"renamed_{i}"

    changes = diff_contracts(old, evolve(rename_all)).changes
    assert {(c.kind, c.old, c.new) for c in changes} == {
        (ChangeKind.FIELD_RENAMED, f"col_{i}", f"renamed_{i}") for i in range(300)
    }


def test_enum_of_unhashable_values_is_still_compared(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    old = evolve(_set_constraint("state", "enum", [{"a": 1}, [2], "x"]), version="1.0.0")
    new = evolve(_set_constraint("state", "enum", [[2], "x", {"b": 1}]))
    change = _only(diff_contracts(old, new))
    assert change.kind is ChangeKind.ENUM_VALUES_CHANGED
    assert change.message.endswith("added [{'b': 1}], removed [{'a': 1}]")


def test_affected_subscribers_are_the_same_for_every_change_to_one_field(
    orders: ContractDefinition, evolve: Evolve
) -> None:
    def break_order_id(doc: Doc) -> None:
        _field(doc, "order_id")["data_type"] = "string"
        _field(doc, "order_id")["is_primary_key"] = False

    changes = diff_contracts(orders, evolve(break_order_id)).changes
    assert len(changes) == 2
    assert all(c.affected_subscribers == ["analytics", "finance"] for c in changes)
