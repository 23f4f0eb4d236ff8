"""`datapact export --file`: convert between DataPact YAML, JSON and ODCS offline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import Result

from datapact_common.documents import load_contracts, parse_contract
from datapact_common.odcs import from_odcs, package_schema, vendored_schema
from datapact_common.odcs.verbatim import without_datapact
from datapact_common.yaml_io import dump_yaml, load_yaml, load_yaml_documents

Cli = Callable[..., Result]
Write = Callable[..., Path]


def test_yaml(cli: Cli, write: Write, orders_doc: dict[str, Any]) -> None:
    result = cli("export", "--file", str(write("o.yaml", orders_doc)), "--format", "yaml")
    assert result.exit_code == 0
    assert not result.stdout.startswith("---")
    assert load_contracts(result.stdout) == [parse_contract(orders_doc)]


def test_json(cli: Cli, write: Write, orders_doc: dict[str, Any]) -> None:
    result = cli("export", "--file", str(write("o.yaml", orders_doc)), "-f", "json")
    assert result.exit_code == 0
    assert parse_contract(json.loads(result.stdout)) == parse_contract(orders_doc)


def test_json_of_several_contracts_is_a_list(
    cli: Cli, write: Write, orders_doc: dict[str, Any]
) -> None:
    path = write("o.yaml", orders_doc, {**orders_doc, "name": "returns"})
    documents = json.loads(cli("export", "--file", str(path), "-f", "json").stdout)
    assert [d["name"] for d in documents] == ["orders", "returns"]


def test_the_json_list_of_several_contracts_reads_back(
    cli: Cli, write: Write, orders_doc: dict[str, Any]
) -> None:
    """Before: every command refused the list `export -f json` writes ("a contract document
    must be a mapping"), so export -> validate/diff/push of a JSON file did not work."""
    original = write("o.yaml", orders_doc, {**orders_doc, "name": "returns"})
    listed = write("o.json", cli("export", "--file", str(original), "-f", "json").stdout)
    validated = cli("validate", str(listed))
    assert validated.exit_code == 0, validated.output
    assert "orders 1.0.0 is valid" in validated.stdout
    assert "returns 1.0.0 is valid" in validated.stdout
    again = cli("export", "--file", str(listed), "-f", "yaml")
    assert again.stdout == cli("export", "--file", str(original), "-f", "yaml").stdout
    assert cli("diff", str(original), str(listed)).exit_code == 0
    broken = write("b.json", json.dumps([orders_doc, {**orders_doc, "name": "Returns"}]))
    result = cli("validate", str(broken))
    assert result.exit_code == 1
    assert "b.json: item 2 of 2: invalid contract" in result.stderr


@pytest.mark.parametrize("version", [None, "v3.1.0", "v3.2.0"])
def test_odcs_is_valid_and_round_trips(
    cli: Cli, write: Write, orders_doc: dict[str, Any], version: str | None
) -> None:
    options = ["--odcs-version", version] if version else []
    path = str(write("o.yaml", orders_doc))
    result = cli("export", "--file", path, "--format", "odcs", *options)
    assert result.exit_code == 0
    document = load_yaml(result.stdout)
    assert document["apiVersion"] == (version or "v3.2.0")  # the newest by default
    schema = vendored_schema() if version == "v3.1.0" else package_schema()
    assert list(jsonschema.Draft201909Validator(schema).iter_errors(document)) == []
    assert from_odcs(document) == [parse_contract(orders_doc)]


def test_an_odcs_version_it_cannot_write_is_a_usage_error(
    cli: Cli, write: Write, orders_doc: dict[str, Any]
) -> None:
    path = str(write("o.yaml", orders_doc))
    result = cli("export", "--file", path, "-f", "odcs", "--odcs-version", "v3.0.2")
    assert result.exit_code == 2
    assert "v3.1.0" in result.output and "v3.2.0" in result.output


def test_a_foreign_document_exports_back_as_written(
    cli: Cli, fixture_file: Callable[[str], Path]
) -> None:
    source = fixture_file("full-example.odcs.yaml")
    result = cli("export", "--file", str(source), "-f", "odcs", "--odcs-version", "v3.1.0")
    assert result.exit_code == 0, result.output
    [document] = load_yaml_documents(result.stdout)  # both objects, one document
    original = load_yaml(source.read_text())
    assert without_datapact(document) == original


def test_odcs_stream_for_several_contracts(
    cli: Cli, write: Write, orders_doc: dict[str, Any]
) -> None:
    path = write("o.yaml", orders_doc, {**orders_doc, "name": "returns"})
    result = cli("export", "--file", str(path), "-f", "odcs")
    assert [d["name"] for d in load_yaml_documents(result.stdout)] == ["orders", "returns"]


def test_odcs_file_to_data_pact_yaml(cli: Cli, fixture_file: Callable[[str], Path]) -> None:
    result = cli("export", "--file", str(fixture_file("postgres.odcs.yaml")), "--format", "yaml")
    assert result.exit_code == 0
    [contract] = load_contracts(result.stdout)
    assert (contract.name, contract.table) == ("postgres", "my_table")


def test_output_file(cli: Cli, write: Write, orders_doc: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "orders.odcs.yaml"
    result = cli(
        "export", "--file", str(write("o.yaml", orders_doc)), "-f", "odcs", "-o", str(target)
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert from_odcs(load_yaml(target.read_text()))[0].name == "orders"


@pytest.mark.parametrize("args", [["export"], ["export", "orders", "--file", "x.yaml"]])
def test_name_or_file_exactly_one(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert "give a contract NAME or --file FILE" in result.stderr


def test_invalid_source_file(cli: Cli, write: Write) -> None:
    result = cli("export", "--file", str(write("bad.yaml", "name: X\n")), "-f", "odcs")
    assert result.exit_code == 1
    assert "invalid contract" in result.stderr


# Nine levels of nine aliases: a few hundred bytes that expand into 9**9 values.
_ALIAS_BOMB = "\n".join(
    [f"  l0: &l0 [{', '.join(['lol'] * 9)}]"]
    + [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
)


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        (_ALIAS_BOMB, "document too large: more than 100000 values"),
        ("  self: &m {again: *m}", "document nested deeper than 32 levels"),
    ],
    ids=["billion-laughs", "alias-cycle"],
)
def test_an_alias_bomb_is_refused_not_expanded(
    cli: Cli, write: Write, orders_doc: dict[str, Any], metadata: str, message: str
) -> None:
    """Before: `validate` said valid, `export` ran for minutes (or failed on the cycle with
    exit 5); the registry refuses such a document with 413/422."""
    text = dump_yaml(orders_doc) + "metadata:\n" + metadata + "\n"
    path = write("bomb.yaml", text)
    for args in (["validate", str(path)], ["export", "--file", str(path), "-f", "json"]):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        assert f"bomb.yaml: {message}" in result.stderr
        assert "is valid" not in result.stdout
