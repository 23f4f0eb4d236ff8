"""Physical column types: what widens, what changes, and how the classifier grades them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, Severity, diff_contracts
from datapact_common.physical_types import TypeChange, compare_physical_types

Evolve = Callable[..., ContractDefinition]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # spelling only
        ("varchar(18)", "CHARACTER VARYING(18)", TypeChange.SAME),
        ("NUMERIC(10, 2)", "decimal(10,2)", TypeChange.SAME),
        ("int4", "integer", TypeChange.SAME),
        ("timestamp with time zone", "timestamptz", TypeChange.SAME),
        ("numeric(10)", "numeric(10,0)", TypeChange.SAME),
        ("email_address", "email_address", TypeChange.SAME),  # a domain
        # lengths
        ("varchar(18)", "varchar(30)", TypeChange.WIDENED),
        ("varchar(18)", "varchar", TypeChange.WIDENED),
        ("varchar(18)", "text", TypeChange.WIDENED),
        ("varchar(30)", "varchar(18)", TypeChange.CHANGED),
        ("text", "varchar(100)", TypeChange.CHANGED),
        ("varchar(max)", "varchar(10)", TypeChange.CHANGED),
        ("char(2)", "char(3)", TypeChange.CHANGED),  # blank-padded: values change
        ("char(2)", "varchar(2)", TypeChange.CHANGED),
        ("varbinary(16)", "varbinary(32)", TypeChange.WIDENED),
        # numbers: integer digits and scale both kept
        ("numeric(10,2)", "numeric(12,4)", TypeChange.WIDENED),
        ("numeric(10,2)", "numeric(12,2)", TypeChange.WIDENED),
        ("numeric(10,2)", "numeric", TypeChange.WIDENED),
        ("numeric(10,2)", "numeric(10,4)", TypeChange.CHANGED),  # 8 -> 6 integer digits
        ("numeric(12,4)", "numeric(10,2)", TypeChange.CHANGED),
        ("numeric", "numeric(38,10)", TypeChange.CHANGED),
        ("smallint", "integer", TypeChange.WIDENED),
        ("integer", "bigint", TypeChange.WIDENED),
        ("bigint", "integer", TypeChange.CHANGED),
        ("integer", "numeric(10,0)", TypeChange.WIDENED),
        ("integer", "numeric(12,4)", TypeChange.CHANGED),  # 8 integer digits < 10
        ("bigint", "numeric(18,0)", TypeChange.CHANGED),
        ("smallint", "real", TypeChange.WIDENED),
        ("integer", "double precision", TypeChange.WIDENED),
        ("bigint", "double precision", TypeChange.CHANGED),  # 53-bit mantissa
        ("real", "double precision", TypeChange.WIDENED),
        ("double precision", "real", TypeChange.CHANGED),
        ("numeric(10,2)", "double precision", TypeChange.CHANGED),
        # time
        ("timestamp(3)", "timestamp(6)", TypeChange.WIDENED),
        ("timestamp", "timestamp(3)", TypeChange.CHANGED),
        ("timestamp", "timestamptz", TypeChange.CHANGED),
        ("date", "timestamp", TypeChange.CHANGED),
        ("email_address", "text", TypeChange.CHANGED),
    ],
)
def test_compare(old: str, new: str, expected: TypeChange) -> None:
    assert compare_physical_types(old, new) is expected


def _physical(**values: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["schema"][3] |= values  # amount

    return change


@pytest.mark.parametrize(
    ("before", "after", "kind", "severity"),
    [
        ({}, {"physical_type": "numeric(10,2)"}, ChangeKind.FIELD_DOCS_CHANGED, Severity.INFO),
        (
            {"physical_type": "numeric(10,2)"},
            {"physical_type": "numeric(12,4)"},
            ChangeKind.PHYSICAL_TYPE_WIDENED,
            Severity.WARNING,
        ),
        (
            {"physical_type": "numeric(10,2)"},
            {"physical_type": "numeric(10,4)"},
            ChangeKind.PHYSICAL_TYPE_CHANGED,
            Severity.BREAKING,
        ),
        (
            {"physical_type": "numeric(10,2)"},
            {},
            ChangeKind.PHYSICAL_TYPE_CHANGED,
            Severity.WARNING,
        ),
        (
            {"physical_type": "numeric(10,2)"},
            {"physical_type": "DECIMAL(10, 2)"},
            ChangeKind.FIELD_DOCS_CHANGED,
            Severity.INFO,
        ),
        ({}, {"physical_name": "amount"}, ChangeKind.FIELD_DOCS_CHANGED, Severity.INFO),
        ({}, {"physical_name": "amt"}, ChangeKind.PHYSICAL_NAME_CHANGED, Severity.BREAKING),
        (
            {"physical_name": "amt"},
            {"physical_name": "total"},
            ChangeKind.PHYSICAL_NAME_CHANGED,
            Severity.BREAKING,
        ),
        ({}, {"classification": "restricted"}, ChangeKind.CLASSIFICATION_CHANGED, Severity.WARNING),
        (
            {"classification": "public"},
            {"classification": "restricted"},
            ChangeKind.CLASSIFICATION_CHANGED,
            Severity.WARNING,
        ),
    ],
)
def test_classifier(
    evolve: Evolve,
    before: dict[str, Any],
    after: dict[str, Any],
    kind: ChangeKind,
    severity: Severity,
) -> None:
    old = evolve(_physical(**before), version="1.0.0")
    new = evolve(_physical(**after), version="2.0.0")
    [change] = diff_contracts(old, new).changes
    assert (change.kind, change.severity, change.field) == (kind, severity, "amount")
    # the subscriber using amount is told of anything above info
    expected = ["analytics", "finance"] if severity is not Severity.INFO else []
    assert change.affected_subscribers == expected
