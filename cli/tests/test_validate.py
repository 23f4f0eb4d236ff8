"""`datapact validate`: valid files, every problem with its location, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

Cli = Callable[..., Result]
Write = Callable[..., Path]


def test_valid_file(cli: Cli, write: Write, orders_doc: dict[str, Any]) -> None:
    result = cli("validate", str(write("orders.yaml", orders_doc)))
    assert result.exit_code == 0
    assert result.stdout.endswith("orders.yaml: orders 1.0.0 is valid (3 fields)\n")


def test_stream_with_several_contracts(cli: Cli, write: Write, orders_doc: dict[str, Any]) -> None:
    returns = {**orders_doc, "name": "returns"}
    result = cli("validate", str(write("all.yaml", orders_doc, returns)))
    assert result.exit_code == 0
    assert "orders 1.0.0 is valid" in result.stdout and "returns 1.0.0 is valid" in result.stdout


def test_json_file(cli: Cli, write: Write, orders_doc: dict[str, Any]) -> None:
    result = cli("validate", str(write("orders.json", json.dumps(orders_doc))))
    assert result.exit_code == 0


def test_invalid_document_lists_every_problem(
    cli: Cli, write: Write, orders_doc: dict[str, Any]
) -> None:
    orders_doc["name"] = "Orders"
    orders_doc["schema"][2]["data_type"] = "money"
    orders_doc["quality"][0]["threshold"] = "soon"
    result = cli("validate", str(write("bad.yaml", orders_doc)))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and lines[0].endswith("bad.yaml: invalid contract")
    assert any(line.startswith("  name: String should match pattern") for line in lines)
    assert any(line.startswith("  schema.2.data_type: Input should be 'string'") for line in lines)
    assert any("quality.0: cannot parse duration 'soon'" in line for line in lines)
    assert "Traceback" not in result.output


def test_the_wrong_document_of_a_stream_is_named(
    cli: Cli, write: Write, orders_doc: dict[str, Any]
) -> None:
    broken = {**orders_doc, "name": "returns", "version": "1.0"}
    result = cli("validate", str(write("all.yaml", orders_doc, broken)))
    assert result.exit_code == 1
    assert "document 2 of 2: invalid contract" in result.stderr
    assert "  version: String should match pattern" in result.stderr


def test_malformed_yaml_names_the_line(cli: Cli, write: Write) -> None:
    result = cli("validate", str(write("broken.yaml", "name: orders\nschema: [\n")))
    assert result.exit_code == 1
    assert "invalid YAML at line 3" in result.stderr


def test_empty_file(cli: Cli, write: Write) -> None:
    result = cli("validate", str(write("empty.yaml", "")))
    assert result.exit_code == 1
    assert "the file holds no contract document" in result.stderr


def test_odcs_file_is_validated_with_notes(cli: Cli, fixture_file: Callable[[str], Path]) -> None:
    result = cli("validate", str(fixture_file("full-example.odcs.yaml")))
    assert result.exit_code == 0
    assert "tbl 1.1.0 is valid (3 fields)" in result.stdout
    assert "receivers 1.1.0 is valid (4 fields)" in result.stdout
    assert "note: " in result.stderr and "primary key read as required" in result.stderr


def test_invalid_odcs_lists_schema_problems(cli: Cli, fixture_file: Callable[[str], Path]) -> None:
    result = cli("validate", str(fixture_file("invalid.odcs.yaml")))
    assert result.exit_code == 1
    assert "invalid ODCS document (2 problem(s))" in result.stderr
    assert "  (document): 'version' is a required property" in result.stderr
    assert "  (document): 'status' is a required property" in result.stderr


def test_partial_odcs_says_what_is_needed(cli: Cli, fixture_file: Callable[[str], Path]) -> None:
    result = cli("validate", str(fixture_file("service-and-operational-roles.odcs.yaml")))
    assert result.exit_code == 1
    assert "partial ODCS document" in result.stderr
    assert "invalid" not in result.stderr
    assert "  schema: no schema objects" in result.stderr
    assert "properties: [{name: <field>, logicalType: <type>}, ...]" in result.stderr


def test_missing_file_is_not_found(cli: Cli) -> None:
    result = cli("validate", "nowhere.yaml")
    assert result.exit_code == 3
    assert "no such file: nowhere.yaml" in result.stderr


def test_several_files_report_each_and_the_worst_code(
    cli: Cli, write: Write, orders_doc: dict[str, Any]
) -> None:
    good = write("good.yaml", orders_doc)
    bad = write("bad.yaml", {**orders_doc, "version": "x"})
    result = cli("validate", str(good), str(bad))
    assert result.exit_code == 1
    assert "orders 1.0.0 is valid" in result.stdout
    assert "bad.yaml: invalid contract" in result.stderr


def test_no_file_is_a_usage_error(cli: Cli) -> None:
    result = cli("validate")
    assert result.exit_code == 2
