"""`datacontract lint` (datacontract-cli 1.2.8, its own virtual environment) passes on every
ODCS export, in both versions: DataPact's own contracts and every full document of the
vendored examples read and written back.

"Passes" is datacontract-cli's strictest verdict: every check passed, no warning (a quality
rule it could not run would be one). References are not resolved over the network
(`--no-inline-references`): the examples point at hosts that do not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from datapact_common.contract_schema import ContractDefinition
from datapact_common.exceptions import OdcsError
from datapact_common.odcs import read_odcs, to_odcs, to_odcs_documents
from datapact_common.yaml_io import dump_yaml, load_yaml
from datapact_testing import datacontract_cli

FIXTURES = Path(__file__).parent / "fixtures" / "odcs"
VERSIONS = ("v3.1.0", "v3.2.0")


@pytest.fixture(scope="session")
def peer() -> Path:
    try:
        return datacontract_cli.ensure()
    except datacontract_cli.PeerUnavailableError as exc:
        pytest.skip(str(exc))


def _native(orders_doc: dict[str, Any]) -> dict[str, ContractDefinition]:
    """DataPact contracts covering every mapping: types, keys, enums, SLAs, physical types."""
    rich = dict(orders_doc)
    rich["schema"] = [dict(f) for f in orders_doc["schema"]]
    rich["schema"][1] |= {"physical_type": "smallint"}
    rich["schema"][3] |= {"physical_type": "numeric(12,2)", "physical_name": "amount_eur"}
    rich["schema"][2] |= {"unique": True, "classification": "restricted"}
    rich["schema"][2]["quality_rules"] = [
        {"metric": "missingValues", "mustBeLessThan": 1, "unit": "percent",
         "arguments": {"missingValues": [None, "", "N/A"]}},
        {"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": "^[^@]+@[^@]+$"}},
    ]  # fmt: skip
    rich["quality_rules"] = [
        {"metric": "rowCount", "mustBeBetween": [1, 1000000]},
        {"type": "sql", "mustBe": 0, "query": "SELECT COUNT(*) FROM ${object} WHERE amount < 0"},
    ]
    rich["quality"] = [
        {"metric_type": "freshness", "threshold": "90s", "measurement_method": "created_at"},
        {"metric_type": "completeness", "threshold": "99.9%"},
        {"metric_type": "uniqueness", "threshold": "100%"},
        {"metric_type": "availability", "threshold": "99%"},
    ]
    composite = dict(rich)
    composite["name"] = "order_lines"
    composite["schema"] = [dict(f) for f in rich["schema"]]
    composite["schema"][5] |= {"is_primary_key": True}
    composite["quality"] = [{"metric_type": "uniqueness", "threshold": "99.5%"}]
    return {
        name: ContractDefinition.model_validate(doc)
        for name, doc in (("orders", orders_doc), ("rich", rich), ("composite", composite))
    }


def _exports(orders_doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for version in VERSIONS:
        for name, contract in _native(orders_doc).items():
            documents[f"{name}-{version}"] = to_odcs(contract, api_version=version)
        for path in sorted(FIXTURES.glob("*.yaml")):
            try:
                contracts = read_odcs(load_yaml(path.read_text(encoding="utf-8"))).contracts
            except OdcsError:
                continue  # invalid or partial: nothing to export
            [document] = to_odcs_documents(contracts, api_version=version)
            documents[f"{path.name.split('.')[0]}-{version}"] = document
    return documents


def test_datacontract_lint_passes_on_every_export(
    peer: Path, tmp_path: Path, orders_doc: dict[str, Any]
) -> None:
    exports = _exports(orders_doc)
    assert len(exports) == 2 * (3 + 22)  # every full document of the fixtures, both versions
    paths = {}
    for label, document in exports.items():
        paths[label] = tmp_path / f"{label}.odcs.yaml"
        paths[label].write_text(dump_yaml(document), encoding="utf-8")
    # A document that is not valid ODCS, as a control that the verdict can be "failed".
    control = FIXTURES / "lint-invalid.odcs.yaml"
    results = datacontract_cli.lint([*paths.values(), control])
    assert results[str(control)]["result"] == "failed"
    not_passed = {
        label: [c for c in results[str(path)]["checks"] if c["result"] != "passed"]
        for label, path in paths.items()
        if results[str(path)]["result"] != "passed"
    }
    assert not_passed == {}
    linted = {label: results[str(path)]["checks"][0]["name"] for label, path in paths.items()}
    assert linted["rich-v3.2.0"] == "Data contract is valid against ODCS v3.2.0"
    assert linted["full-example-v3.1.0"] == "Data contract is valid against ODCS v3.1.0"


def test_the_datacontract_lint_command_exits_0(
    peer: Path, tmp_path: Path, orders: ContractDefinition
) -> None:
    path = tmp_path / "orders.odcs.yaml"
    path.write_text(dump_yaml(to_odcs(orders)), encoding="utf-8")
    result = datacontract_cli.lint_command(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid against ODCS v3.2.0" in result.stdout


REPOSITORY = Path(__file__).resolve().parents[3]
EXAMPLES = [
    *sorted((REPOSITORY / "examples" / "acme").glob("*.yaml")),
    REPOSITORY / "services" / "template-data-service" / "contract.yaml",
]


@pytest.mark.e2e  # about 30 s: datacontract-cli reads 34 documents
def test_datacontract_lint_passes_on_the_example_contracts(peer: Path, tmp_path: Path) -> None:
    """The example organisation (`make up` loads it) and the template's contracts, each
    exported as ODCS v3.1.0 and v3.2.0: every check of `datacontract lint` passes."""
    from datapact_common.documents import load_contracts

    contracts = [c for path in EXAMPLES for c in load_contracts(path.read_text("utf-8"))]
    assert len(contracts) == 17  # Acme Retail's 13 and the template's 4
    paths = {}
    for version in VERSIONS:
        for contract in contracts:
            path = tmp_path / f"{contract.name}-{version}.odcs.yaml"
            path.write_text(dump_yaml(to_odcs(contract, api_version=version)), encoding="utf-8")
            paths[path.stem] = path
    results = datacontract_cli.lint(list(paths.values()))
    not_passed = {
        label: [c for c in results[str(path)]["checks"] if c["result"] != "passed"]
        for label, path in paths.items()
        if results[str(path)]["result"] != "passed"
    }
    assert not_passed == {}
    assert len(paths) == 34
