"""The verdict from file texts to findings: (a) schema vs contract, (b) contract vs schema,
(c) the version policy with the subscriber teams each breaking change touches."""

from __future__ import annotations

import copy
from typing import Any

from datapact_common.analysis.pr_delta import ChangedFile, contract_delta, schema_delta
from datapact_common.analysis.verdict import Category, Level, Registry, Verdict, judge
from datapact_common.contract_schema import ContractDefinition

MIGRATION_PATH = "alembic/versions/b1_change_orders.py"
CONTRACT_PATH = "contracts/orders/contract.yaml"


def registered(document: dict[str, Any]) -> Registry:
    contract = ContractDefinition.model_validate(document)
    return Registry(contracts={contract.name: contract}, ids={contract.name: "id-1"})


def verdict_for(
    kit: Any,
    *,
    upgrade: str | None = None,
    base_contract: dict[str, Any] | None = None,
    head_contract: dict[str, Any] | None = None,
    registry: Registry | None = None,
) -> Verdict:
    schema_files = []
    if upgrade is not None:
        schema_files.append(
            ChangedFile(MIGRATION_PATH, "added", None, kit.migration("b1", upgrade))
        )
    contract_files = []
    if head_contract is not None or base_contract is not None:
        contract_files.append(
            ChangedFile(
                CONTRACT_PATH,
                "modified",
                kit.yaml_of(base_contract) if base_contract else None,
                kit.yaml_of(head_contract) if head_contract else None,
            )
        )
    return judge(schema_delta(schema_files), contract_delta(contract_files), registry or Registry())


def of(verdict: Verdict, category: Category) -> list[Any]:
    return [f for f in verdict.findings if f.category is category]


def test_schema_change_without_contract_change_fails_on_the_migration_line(kit: Any) -> None:
    upgrade = 'op.drop_column("orders", "notes")'
    verdict = verdict_for(kit, upgrade=upgrade, registry=registered(kit.orders_contract()))
    assert verdict.conclusion == "failure"
    [finding] = verdict.failures
    assert finding.category is Category.SCHEMA_NOT_IN_CONTRACT
    text = kit.migration("b1", upgrade)
    assert finding.location.path == MIGRATION_PATH
    assert finding.location.start_line == next(
        i for i, row in enumerate(text.splitlines(), 1) if "drop_column" in row
    )
    assert finding.contract == "orders" and finding.fields == ["notes"]
    assert finding.subscribers == ["support"]  # analytics does not use notes
    assert "still lists field `notes`" in finding.message and "support" in finding.message


def test_added_not_null_column_missing_from_contract_fails_nullable_one_warns(kit: Any) -> None:
    upgrade = (
        'op.add_column("orders", sa.Column("currency", sa.String(length=3), nullable=False,'
        ' server_default="EUR"))\n'
        'op.add_column("orders", sa.Column("coupon", sa.String(length=20), nullable=True))'
    )
    verdict = verdict_for(kit, upgrade=upgrade, registry=registered(kit.orders_contract()))
    assert [f.title for f in verdict.failures] == [
        "NOT NULL column orders.currency is missing from the contract"
    ]
    assert [f.fields for f in verdict.warnings] == [["coupon"]]


def test_matching_contract_change_with_the_right_bump_passes(kit: Any) -> None:
    base = kit.orders_contract("1.0.0")
    head = kit.with_field(
        kit.orders_contract("1.1.0"),
        {"name": "currency", "data_type": "string", "nullable": False,
         "description": "ISO 4217 code"},
    )  # fmt: skip
    upgrade = (
        'op.add_column("orders", sa.Column("currency", sa.CHAR(3), nullable=False,'
        ' server_default="EUR"))'
    )
    verdict = verdict_for(
        kit, upgrade=upgrade, base_contract=base, head_contract=head, registry=registered(base)
    )
    assert verdict.conclusion == "success", verdict.findings
    assert verdict.findings == []
    [summary] = verdict.contracts
    assert (summary.old_version, summary.new_version, summary.required_bump) == (
        "1.0.0", "1.1.0", "minor",
    )  # fmt: skip
    assert summary.bump_ok


def test_breaking_change_with_a_minor_bump_fails_naming_subscribers_of_base_and_registry(
    kit: Any,
) -> None:
    base = kit.orders_contract("1.0.0")
    head = kit.without_field(kit.orders_contract("1.1.0"), "notes")
    in_registry = copy.deepcopy(base)
    in_registry["subscribers"].append({"team": "finance"})  # joined through the API: all fields
    verdict = verdict_for(
        kit,
        upgrade='op.drop_column("orders", "notes")',
        base_contract=base,
        head_contract=head,
        registry=registered(in_registry),
    )
    assert verdict.conclusion == "failure"
    [bump] = of(verdict, Category.VERSION_BUMP)
    assert bump.location.path == CONTRACT_PATH
    assert bump.location.start_line == kit.yaml_of(head).splitlines().index("version: 1.1.0") + 1
    assert bump.subscribers == ["finance", "support"]
    assert "major version bump required" in bump.message
    [breaking] = of(verdict, Category.BREAKING_CHANGE)
    assert breaking.level is Level.FAILURE and breaking.breaking
    assert breaking.fields == ["notes"] and breaking.subscribers == ["finance", "support"]
    assert verdict.breaking_by_contract()["orders"]


def test_breaking_change_with_the_major_bump_passes_but_stays_visible(kit: Any) -> None:
    base = kit.orders_contract("1.0.0")
    head = kit.without_field(kit.orders_contract("2.0.0"), "notes")
    verdict = verdict_for(
        kit,
        upgrade='op.drop_column("orders", "notes")',
        base_contract=base,
        head_contract=head,
        registry=registered(base),
    )
    assert verdict.conclusion == "success"
    [breaking] = of(verdict, Category.BREAKING_CHANGE)
    assert breaking.level is Level.WARNING and breaking.subscribers == ["support"]


def test_contract_change_without_a_schema_change_is_a_warning(kit: Any) -> None:
    base = kit.orders_contract("1.0.0")
    head = kit.with_field(
        kit.orders_contract("1.1.0"), {"name": "discount", "data_type": "decimal"}
    )
    verdict = verdict_for(kit, base_contract=base, head_contract=head, registry=registered(base))
    assert verdict.conclusion == "success"
    [warning] = verdict.warnings
    assert warning.category is Category.CONTRACT_WITHOUT_SCHEMA
    assert "orders.discount" in warning.message
    lines = kit.yaml_of(head).splitlines()
    assert lines[warning.location.start_line - 1].strip() == "- name: discount"


def test_contradicting_schema_and_contract_changes_fail(kit: Any) -> None:
    base = kit.orders_contract("1.0.0")
    head = kit.without_field(kit.orders_contract("2.0.0"), "notes")
    upgrade = 'op.add_column("orders", sa.Column("notes", sa.Text(), nullable=True))'
    verdict = verdict_for(
        kit, upgrade=upgrade, base_contract=base, head_contract=head, registry=registered(base)
    )
    assert [f.title for f in of(verdict, Category.CONTRACT_WITHOUT_SCHEMA)] == [
        "Field notes removed but its column is added"
    ]


def test_type_change_and_relaxed_nullability_the_contract_contradicts(kit: Any) -> None:
    upgrade = (
        'op.alter_column("orders", "total", existing_type=sa.NUMERIC(12, 2), type_=sa.Text())\n'
        'op.alter_column("orders", "customer_email", existing_type=sa.VARCHAR(255),'
        " nullable=True)\n"
        'op.alter_column("orders", "placed_at", type_=sa.DateTime(timezone=True))'
    )
    verdict = verdict_for(kit, upgrade=upgrade, registry=registered(kit.orders_contract()))
    titles = sorted(f.title for f in verdict.failures)
    assert titles == [
        "Column orders.customer_email may now be NULL",
        "Column orders.total type change is not in the contract",
    ]
    by_title = {f.title: f for f in verdict.failures}
    assert by_title["Column orders.total type change is not in the contract"].subscribers == [
        "analytics"
    ]
    # DateTime for a `timestamp` field is the same thing to a consumer: a notice, no failure
    assert any("placed_at" in f.title for f in verdict.findings if f.level is Level.NOTICE)


def test_renames_matched_on_both_sides_pass_with_a_major_bump(kit: Any) -> None:
    base = kit.orders_contract("1.0.0")
    head = copy.deepcopy(kit.orders_contract("2.0.0"))
    for field in head["schema"]:
        if field["name"] == "notes":
            field["name"] = "remarks"
    head["subscribers"][1]["fields_used"] = ["id", "customer_email", "remarks"]
    upgrade = 'op.alter_column("orders", "notes", new_column_name="remarks")'
    verdict = verdict_for(
        kit, upgrade=upgrade, base_contract=base, head_contract=head, registry=registered(base)
    )
    assert verdict.conclusion == "success", [f.message for f in verdict.failures]
    assert [f.category for f in verdict.warnings] == [Category.BREAKING_CHANGE]


def test_table_drop_and_rename_of_a_contracted_table(kit: Any) -> None:
    dropped = verdict_for(
        kit, upgrade='op.drop_table("orders")', registry=registered(kit.orders_contract())
    )
    assert [f.title for f in dropped.failures] == ["Dropped table orders still has a contract"]
    assert dropped.failures[0].subscribers == ["analytics", "support"]
    base = kit.orders_contract("1.0.0")
    head = kit.orders_contract("2.0.0", table="purchases")
    renamed = verdict_for(
        kit,
        upgrade='op.rename_table("orders", "purchases")',
        base_contract=base,
        head_contract=head,
        registry=registered(base),
    )
    assert renamed.conclusion == "success", [f.message for f in renamed.failures]


def test_tables_without_a_contract_are_noticed_not_enforced(kit: Any) -> None:
    verdict = verdict_for(kit, upgrade='op.drop_column("audit_log", "payload")')
    assert verdict.conclusion == "success"
    assert [f.category for f in verdict.findings] == [Category.UNCOVERED_TABLE]


def test_new_table_with_its_new_contract_is_compared_column_by_column(kit: Any) -> None:
    upgrade = """op.create_table(
    "refunds",
    sa.Column("id", sa.BigInteger(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint("id"),
)"""
    contract = {
        "name": "refunds", "version": "1.0.0", "publisher": {"team": "commerce", "owner": "x"},
        "schema": [
            {"name": "id", "data_type": "integer", "nullable": False, "is_primary_key": True},
            {"name": "amount", "data_type": "decimal"},
        ],
    }  # fmt: skip
    verdict = verdict_for(kit, upgrade=upgrade, head_contract=contract)
    assert [f.title for f in verdict.failures] == ["Contract field amount has no column"]
    assert [f.fields for f in verdict.warnings] == [["reason"]]


def test_invalid_contract_fails_on_its_line(kit: Any) -> None:
    broken = kit.orders_contract("1.1.0")
    broken["schema"][2]["data_type"] = "money"
    verdict = verdict_for(kit, base_contract=kit.orders_contract(), head_contract=broken)
    [finding] = verdict.failures
    assert finding.category is Category.INVALID_CONTRACT
    assert finding.contract == "orders"
    assert "schema.2.data_type" in finding.message
    lines = kit.yaml_of(broken).splitlines()
    assert lines[finding.location.start_line - 1].strip() == "- name: total"


def test_contract_new_to_the_repository_is_judged_against_the_registry(kit: Any) -> None:
    in_registry = kit.orders_contract("1.3.0")
    head = kit.without_field(kit.orders_contract("1.4.0"), "notes")
    verdict = verdict_for(kit, head_contract=head, registry=registered(in_registry))
    [summary] = verdict.contracts
    assert summary.old_version == "1.3.0" and not summary.bump_ok
    assert of(verdict, Category.VERSION_BUMP)


def test_a_contract_moved_between_files_is_one_change(kit: Any) -> None:
    document = kit.orders_contract("1.0.0")
    files = [
        ChangedFile("old/contract.yaml", "removed", kit.yaml_of(document), None),
        ChangedFile("new/orders.contract.yaml", "added", None, kit.yaml_of(document)),
    ]
    delta = contract_delta(files)
    [change] = delta.changes
    assert change.status.value == "unchanged" and change.path == "new/orders.contract.yaml"


def test_yaml_streams_hold_several_contracts(kit: Any) -> None:
    other = {
        "name": "customers", "version": "1.0.0", "publisher": {"team": "crm", "owner": "x"},
        "schema": [{"name": "id", "data_type": "uuid", "nullable": False}],
    }  # fmt: skip
    text = kit.yaml_of(kit.orders_contract(), other)
    delta = contract_delta([ChangedFile("contract.yaml", "added", None, text)])
    assert sorted(c.name for c in delta.changes) == ["customers", "orders"]
