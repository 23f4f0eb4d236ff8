"""`datapact diff OLD NEW`: a CI step anywhere; exit 1 when the version bump is too small."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

Cli = Callable[..., Result]
Write = Callable[..., Path]
Doc = dict[str, Any]


def _without_email(doc: Doc, version: str) -> Doc:
    new = copy.deepcopy(doc)
    new["schema"] = [f for f in new["schema"] if f["name"] != "email"]
    new["version"] = version
    return new


def _with_subscribers(doc: Doc) -> Doc:
    doc = copy.deepcopy(doc)
    doc["subscribers"] = [
        {"team": "marketing", "fields_used": ["email"]},
        {"team": "finance", "fields_used": ["amount"]},
        {"team": "analytics"},
    ]
    return doc


@pytest.fixture
def pair(write: Write, orders_doc: Doc) -> Callable[[Doc], tuple[str, str]]:
    def files(new: Doc) -> tuple[str, str]:
        return str(write("old.yaml", orders_doc)), str(write("new.yaml", new))

    return files


def test_breaking_change_with_minor_bump_fails(cli: Cli, write: Write, orders_doc: Doc) -> None:
    old = write("old.yaml", _with_subscribers(orders_doc))
    new_doc = _without_email(_with_subscribers(orders_doc), "1.1.0")
    new_doc["subscribers"][0]["fields_used"] = []
    new = write("new.yaml", new_doc)
    result = cli("diff", str(old), str(new))
    assert result.exit_code == 1
    out = result.stdout
    assert "orders 1.0.0 -> 1.1.0:" in out
    assert "breaking schema.email: field 'email' removed  [affects: analytics, marketing]" in out
    assert "version 1.0.0 -> 1.1.0: required bump major, actual minor" in out
    assert "REFUSED: major version bump required (at least 2.0.0), got minor" in out


def test_breaking_change_with_major_bump_passes(
    cli: Cli, pair: Callable[[Doc], tuple[str, str]], orders_doc: Doc
) -> None:
    result = cli("diff", *pair(_without_email(orders_doc, "2.0.0")))
    assert result.exit_code == 0
    assert "OK: the version bump is big enough" in result.stdout


@pytest.mark.parametrize(
    ("change", "version", "exit_code", "severity"),
    [
        (
            lambda d: d["schema"].append({"name": "coupon", "data_type": "string"}),
            "1.0.1",
            1,
            "info",
        ),
        (
            lambda d: d["schema"].append({"name": "coupon", "data_type": "string"}),
            "1.1.0",
            0,
            "info",
        ),
        (lambda d: d["schema"][1].update(is_pii=False), "1.0.1", 1, "warning"),
        (lambda d: d["schema"][1].update(is_pii=False), "1.1.0", 0, "warning"),
        (lambda d: d.update(description="Edited"), "1.0.0", 1, "info"),
        (lambda d: d.update(description="Edited"), "1.0.1", 0, "info"),
        (lambda d: d["quality"][0].update(threshold="1 hour"), "1.1.0", 1, "breaking"),
    ],
)
def test_policy_per_severity(
    cli: Cli,
    pair: Callable[[Doc], tuple[str, str]],
    orders_doc: Doc,
    change: Callable[[Doc], None],
    version: str,
    exit_code: int,
    severity: str,
) -> None:
    new = copy.deepcopy(orders_doc)
    change(new)
    new["version"] = version
    result = cli("diff", *pair(new))
    assert result.exit_code == exit_code, result.output
    assert f"  {severity:<8} " in result.stdout


def test_no_changes(cli: Cli, pair: Callable[[Doc], tuple[str, str]], orders_doc: Doc) -> None:
    result = cli("diff", *pair(orders_doc))
    assert result.exit_code == 0
    assert result.stdout == "orders 1.0.0 -> 1.0.0: no changes\n"


def test_lower_version_fails(
    cli: Cli, pair: Callable[[Doc], tuple[str, str]], orders_doc: Doc
) -> None:
    result = cli("diff", *pair({**orders_doc, "version": "0.9.0"}))
    assert result.exit_code == 1
    assert "version 0.9.0 is lower than the current version 1.0.0" in result.stdout


def test_json_format(cli: Cli, write: Write, orders_doc: Doc) -> None:
    old = write("old.yaml", _with_subscribers(orders_doc))
    new_doc = _without_email(_with_subscribers(orders_doc), "1.1.0")
    new_doc["subscribers"][0]["fields_used"] = []
    result = cli("diff", str(old), str(write("new.yaml", new_doc)), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    [contract] = report["contracts"]
    assert contract["name"] == "orders"
    assert (contract["required_bump"], contract["actual_bump"]) == ("major", "minor")
    assert contract["highest_severity"] == "breaking"
    assert contract["affected_subscribers"] == ["analytics", "marketing"]
    removed = next(c for c in contract["changes"] if c["kind"] == "field_removed")
    assert removed["affected_subscribers"] == ["analytics", "marketing"]
    assert contract["violation"].startswith("major version bump required")


def test_contracts_are_paired_by_name(cli: Cli, write: Write, orders_doc: Doc) -> None:
    returns = {**orders_doc, "name": "returns"}
    refunds = {**orders_doc, "name": "refunds"}
    old = write("old.yaml", orders_doc, returns)
    new = write("new.yaml", refunds, {**orders_doc, "version": "1.0.1", "description": "x"})
    result = cli("diff", str(old), str(new), "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [c["name"] for c in report["contracts"]] == ["orders"]
    assert report["added"] == [{"name": "refunds", "version": "1.0.0"}]
    assert report["removed"] == ["returns"]
    text = cli("diff", str(old), str(new)).stdout
    assert "refunds 1.0.0: new contract (no earlier version)" in text
    assert "returns: only in the old file" in text


def test_odcs_files_can_be_compared(cli: Cli, write: Write, orders_doc: Doc) -> None:
    exported = cli("export", "--file", str(write("orders.yaml", orders_doc)), "--format", "odcs")
    assert exported.exit_code == 0
    old = write("old.odcs.yaml", exported.stdout)
    result = cli("diff", str(old), str(write("new.yaml", _without_email(orders_doc, "1.1.0"))))
    assert result.exit_code == 1
    assert "field 'email' removed" in result.stdout


def test_invalid_input_is_reported(cli: Cli, write: Write, orders_doc: Doc) -> None:
    result = cli(
        "diff",
        str(write("old.yaml", orders_doc)),
        str(write("new.yaml", {**orders_doc, "name": "X"})),
    )
    assert result.exit_code == 1
    assert "invalid contract" in result.stderr and "  name: " in result.stderr
    missing = cli("diff", "a.yaml", "b.yaml")
    assert missing.exit_code == 3


def test_the_broken_file_is_named(cli: Cli, write: Write, orders_doc: Doc) -> None:
    result = cli("diff", str(write("old.yaml", orders_doc)), str(write("new.yaml", "name: [\n")))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "new.yaml: invalid YAML at line 2" in result.stderr
    assert "old.yaml" not in result.stderr


def test_unknown_format_is_a_usage_error(
    cli: Cli, pair: Callable[[Doc], tuple[str, str]], orders_doc: Doc
) -> None:
    result = cli("diff", *pair(orders_doc), "--format", "xml")
    assert result.exit_code == 2


def _shop(objects: list[str], version: str, note_type: str = "varchar(18)") -> Doc:
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "shop-document",
        "name": "shop",
        "version": version,
        "status": "active",
        "team": {"name": "checkout", "members": [{"username": "alice", "role": "owner"}]},
        "schema": [
            {
                "name": name,
                "properties": [
                    {"name": "id", "logicalType": "integer", "required": True},
                    {"name": "note", "logicalType": "string", "physicalType": note_type},
                ],
            }
            for name in objects
        ],
    }


def test_odcs_objects_are_paired_by_document_id_and_object(cli: Cli, write: Write) -> None:
    """A second schema object renames what the objects would be called (shop ->
    shop_orders), not the contract: the change to `orders` is still classified."""
    old = write("old.odcs.yaml", _shop(["orders"], "1.0.0"))
    new = write("new.odcs.yaml", _shop(["orders", "customers"], "1.1.0", "varchar(10)"))
    result = cli("diff", str(old), str(new))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "shop 1.0.0 -> 1.1.0:" in out
    assert "breaking schema.note.physical_type: field 'note' physical type changed" in out
    assert "shop_customers 1.1.0: new contract" in out
    assert "only in the old file" not in out


def test_an_odcs_object_gone_from_its_document_is_a_removed_table(cli: Cli, write: Write) -> None:
    old = write("old.odcs.yaml", _shop(["orders", "customers"], "1.0.0"))
    minor = write("minor.odcs.yaml", _shop(["orders"], "1.1.0"))
    result = cli("diff", str(old), str(minor), "--format", "json")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    removal = next(c for c in body["contracts"] if c["name"] == "shop_customers")
    assert [(c["kind"], c["severity"]) for c in removal["changes"]] == [
        ("table_removed", "breaking")
    ]
    assert removal["required_bump"] == "major" and not removal["bump_ok"]
    major = write("major.odcs.yaml", _shop(["orders"], "2.0.0"))
    assert cli("diff", str(old), str(major)).exit_code == 0
