"""Contracts paired by identity: ODCS document id + schema object, else the name."""

from __future__ import annotations

from typing import Any

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, Severity, removal_report
from datapact_common.odcs import from_odcs
from datapact_common.pairing import pair_contracts


def _shop(objects: list[str], version: str, **top: Any) -> list[ContractDefinition]:
    document = {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "shop-document",
        "name": "shop",
        "version": version,
        "status": "active",
        "schema": [
            {"name": name, "properties": [{"name": "id", "logicalType": "integer"}]}
            for name in objects
        ],
        **top,
    }
    return from_odcs(document)


def test_a_second_object_pairs_with_the_contract_of_the_first() -> None:
    old = _shop(["orders"], "1.0.0")
    new = _shop(["orders", "customers"], "1.1.0")
    assert [c.name for c in old] == ["shop"]
    assert [c.name for c in new] == ["shop_orders", "shop_customers"]
    pairing = pair_contracts(old, new)
    assert [(o.name, n.name) for o, n in pairing.pairs] == [("shop", "shop_orders")]
    assert [c.name for c in pairing.added] == ["shop_customers"]
    assert pairing.removed == [] and pairing.removed_objects == []


def test_an_object_gone_from_a_document_still_there_is_removed_at_its_version() -> None:
    pairing = pair_contracts(_shop(["orders", "customers"], "1.0.0"), _shop(["orders"], "1.1.0"))
    [(removed, version)] = pairing.removed_objects
    assert (removed.name, version) == ("shop_customers", "1.1.0")
    report = removal_report(removed, version, "gone")
    assert [(c.kind, c.severity) for c in report.changes] == [
        (ChangeKind.TABLE_REMOVED, Severity.BREAKING)
    ]
    assert (report.required_bump, report.bump_ok) == ("major", False)
    assert removal_report(removed, "2.0.0", "gone").bump_ok


def test_a_document_gone_altogether_is_only_removed_from_the_file(
    orders: ContractDefinition,
) -> None:
    pairing = pair_contracts([*_shop(["orders"], "1.0.0"), orders], [orders])
    assert [c.name for c in pairing.removed] == ["shop"]
    assert [(o.name, n.name) for o, n in pairing.pairs] == [("orders", "orders")]


def test_another_document_with_the_same_names_is_not_the_same_contract() -> None:
    pairing = pair_contracts(_shop(["orders"], "1.0.0"), _shop(["orders"], "1.0.0", id="other"))
    assert pairing.pairs == []
    assert [c.name for c in pairing.added] == ["shop"]
