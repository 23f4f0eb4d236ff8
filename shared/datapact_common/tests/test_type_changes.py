"""How the classifier reads a change of data type between the new vocabulary's types."""

from __future__ import annotations

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, Severity, diff_contracts


def _contract(data_type: str, version: str) -> ContractDefinition:
    field = {
        "name": "rating",
        "data_type": data_type,
        "constraints": [{"type": "enum", "value": ["G", "PG"]}],
    }
    return ContractDefinition.model_validate(
        {
            "name": "films",
            "version": version,
            "publisher": {"team": "t", "owner": "o"},
            "schema": [field],
        }
    )


def _type_change(old: str, new: str) -> Severity:
    report = diff_contracts(_contract(old, "1.0.0"), _contract(new, "2.0.0"))
    [change] = [c for c in report.changes if c.kind is ChangeKind.TYPE_CHANGED]
    return change.severity


def test_a_string_declared_as_an_enum_is_not_breaking() -> None:
    assert _type_change("string", "enum") is Severity.INFO


def test_an_enum_widened_to_a_string_breaks() -> None:
    assert _type_change("enum", "string") is Severity.BREAKING


def test_binary_and_full_text_changes_break() -> None:
    assert _type_change("string", "binary") is Severity.BREAKING
    assert _type_change("full_text", "string") is Severity.BREAKING
