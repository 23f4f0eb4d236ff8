"""`datapact pull`, `export NAME` and `import` against a real contract-service."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import Result

from datapact_common.documents import load_contracts, parse_contract
from datapact_common.odcs import from_odcs, vendored_schema
from datapact_common.yaml_io import dump_yaml, load_yaml

Online = Callable[..., Result]
Write = Callable[..., Path]
Doc = dict[str, Any]


def test_pull_prints_the_contract_without_server_fields(
    online: Online, orders_doc: Doc, registry: Any
) -> None:
    registry.create(orders_doc)
    result = online("pull", "orders")
    assert result.exit_code == 0
    assert "created_at" not in result.stdout and "compliance" not in result.stdout
    assert load_contracts(result.stdout) == [parse_contract(orders_doc)]


def test_pull_to_a_file_then_push_it_back_unchanged(
    online: Online, orders_doc: Doc, registry: Any, tmp_path: Path
) -> None:
    registry.create(orders_doc)
    target = tmp_path / "pulled.yaml"
    pulled = online("pull", "orders", "-o", str(target))
    assert pulled.exit_code == 0 and pulled.stdout == ""
    pushed = online("push", str(target))
    assert pushed.stdout == "unchanged orders 1.0.0\n"


def test_pull_an_earlier_version(
    online: Online, write: Write, orders_doc: Doc, registry: Any
) -> None:
    registry.create(orders_doc)
    assert (
        online(
            "push", str(write("o.yaml", {**orders_doc, "version": "1.0.1", "description": "v2"}))
        ).exit_code
        == 0
    )
    old = online("pull", "orders", "--version", "1.0.0")
    assert old.exit_code == 0, old.output
    assert load_contracts(old.stdout)[0].description == orders_doc["description"]
    missing = online("pull", "orders", "--version", "7.0.0")
    assert missing.exit_code == 3
    assert "contract 'orders' has no version 7.0.0" in missing.stderr


def test_pull_unknown_contract_is_not_found(online: Online, registry: Any) -> None:
    result = online("pull", "nothing_here")
    assert result.exit_code == 3
    assert f"contract 'nothing_here' not found in the registry at {registry.url}" in result.stderr


def test_export_formats(online: Online, orders_doc: Doc, registry: Any) -> None:
    registry.create(orders_doc)
    expected = parse_contract(orders_doc)
    as_yaml = online("export", "orders", "--format", "yaml")
    assert load_contracts(as_yaml.stdout) == [expected]
    as_json = online("export", "orders", "--format", "json")
    assert parse_contract(json.loads(as_json.stdout)) == expected
    as_odcs = online("export", "orders", "--format", "odcs", "--odcs-version", "v3.1.0")
    document = load_yaml(as_odcs.stdout)
    assert list(jsonschema.Draft201909Validator(vendored_schema()).iter_errors(document)) == []
    assert from_odcs(document) == [expected]


def test_export_unknown_contract(online: Online, registry: Any) -> None:
    assert online("export", "nope", "-f", "odcs").exit_code == 3


def test_import_a_foreign_odcs_file(
    online: Online, fixture_file: Callable[[str], Path], registry: Any
) -> None:
    result = online(
        "import", str(fixture_file("postgres.odcs.yaml")), "--team", "checkout", "--owner", "alice"
    )
    assert result.exit_code == 0, result.output
    assert "created postgres 0.0.1" in result.stdout
    assert "note: " in result.stderr
    stored = registry.document("postgres")
    assert (stored["publisher"]["team"], stored["publisher"]["owner"]) == ("checkout", "alice")
    assert stored["table"] == "my_table"
    assert [f["name"] for f in stored["schema"]] == ["field_one", "field_two", "field_three"]


def test_import_a_multi_object_odcs_file(
    online: Online, fixture_file: Callable[[str], Path], registry: Any
) -> None:
    result = online("import", str(fixture_file("full-example.odcs.yaml")), "--team", "checkout")
    assert result.exit_code == 0, result.output
    assert registry.document("tbl")["schema"][1]["foreign_key_reference"] == "receivers.id"
    assert registry.document("receivers")["table"] == "receivers_master"


def test_exported_odcs_imports_back_unchanged(
    online: Online, orders_doc: Doc, registry: Any, tmp_path: Path
) -> None:
    registry.create(orders_doc)
    target = tmp_path / "orders.odcs.yaml"
    assert online("export", "orders", "-f", "odcs", "-o", str(target)).exit_code == 0
    result = online("import", str(target))
    assert result.exit_code == 0
    assert result.stdout == "unchanged orders 1.0.0 (schema object 'orders')\n"


def _shop(objects: list[str], version: str) -> dict[str, Any]:
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "shop-document",
        "name": "shop",
        "version": version,
        "status": "active",
        "team": {"name": "checkout", "members": [{"username": "alice", "role": "owner"}]},
        "schema": [
            {"name": name, "properties": [{"name": "id", "logicalType": "integer"}]}
            for name in objects
        ],
    }


def test_import_goes_object_by_object(online: Online, registry: Any, tmp_path: Path) -> None:
    """A second schema object neither renames the first contract nor hides its changes."""
    one, two, gone = (tmp_path / f"{n}.odcs.yaml" for n in ("one", "two", "gone"))
    one.write_text(dump_yaml(_shop(["orders"], "1.0.0")))
    two.write_text(dump_yaml(_shop(["orders", "customers"], "1.1.0")))
    gone.write_text(dump_yaml(_shop(["customers"], "1.2.0")))
    first = online("import", str(one))
    assert first.exit_code == 0, first.output
    shop_id = registry.document("shop")["id"]
    assert first.stdout == f"created shop 1.0.0 (schema object 'orders'), id {shop_id}\n"
    second = online("import", str(two))
    assert second.exit_code == 0, second.output
    assert "created shop_customers 1.1.0 (schema object 'customers')" in second.stdout
    assert "note: schema object 'orders' stays contract 'shop'" in second.stderr
    assert registry.document("shop")["odcs"]["object"] == "orders"
    removed = online("import", str(gone))
    assert removed.exit_code == 1
    assert "schema object 'orders' (shop): major version bump required" in removed.stderr
    assert "breaking table: table orders removed" in removed.stderr
    assert registry.document("shop")["status"] == "active"


def test_import_of_an_invalid_odcs_file(
    online: Online, fixture_file: Callable[[str], Path]
) -> None:
    result = online("import", str(fixture_file("invalid.odcs.yaml")))
    assert result.exit_code == 1
    assert "'status' is a required property" in result.stderr


def test_import_without_a_team_the_token_may_write(
    online: Online, fixture_file: Callable[[str], Path]
) -> None:
    result = online("import", str(fixture_file("postgres.odcs.yaml")))
    assert result.exit_code == 4  # the document's team is 'my-domain-team', not checkout
    assert "my-domain-team" in result.stderr


def test_import_of_a_named_document_onto_another_teams_contract_is_refused(
    online: Online, orders_doc: Doc, registry: Any, tmp_path: Path
) -> None:
    """'shop' (the document's name) and 'shop_customers' (its second object) are
    marketing's contracts: each import is refused with the reason, and nothing is written."""
    for name in ("shop", "shop_customers"):
        registry.create(
            {**orders_doc, "name": name, "publisher": {"team": "marketing", "owner": "bob"}}
        )
    for objects in (["orders"], ["customers", "orders"]):
        path = tmp_path / "shop.odcs.yaml"
        path.write_text(dump_yaml(_shop(objects, "1.0.0")))
        for dry_run in ([], ["--dry-run"]):
            result = online("import", str(path), *dry_run)
            assert result.exit_code == 1, result.output
            target = "shop" if objects == ["orders"] else "shop_customers"
            assert (
                f"schema object '{objects[0]}' would land on contract '{target}' of team "
                "'marketing', and this document is team 'checkout's: refused"
            ) in result.stderr
            assert result.stdout == ""
    for name in ("shop", "shop_customers"):
        stored = registry.document(name)
        assert stored.get("odcs") is None and stored["publisher"]["team"] == "marketing"
