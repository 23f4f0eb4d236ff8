"""ODCS -> DataPact -> ODCS gives the document back; what DataPact models is classified.

The documents are the standard's own examples and datacontract-cli's fixtures (vendored in
fixtures/odcs, see its README). "Back" means: equal up to key order and DataPact's own
``datapact*`` custom properties (and the quality rules marked with one), with
- ``apiVersion`` the export's (a v3.0.x document is written as v3.1.0, whose schema accepts
  it unchanged);
- keys the official schema does not know left out, exactly where import reports them as
  ignored (ODCS v2's ``isNullable``/``isUnique`` are read, and written back as
  ``required``/``unique``).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, Severity, diff_contracts
from datapact_common.exceptions import OdcsError
from datapact_common.odcs import from_odcs, read_odcs, to_odcs, to_odcs_documents
from datapact_common.odcs.verbatim import without_datapact

Load = Callable[[str], Any]
V2_KEYS = ("isNullable", "isUnique")

FIXTURES = Path(__file__).parent / "fixtures" / "odcs"
# Every vendored example (fixtures/odcs/*.yaml) is one of three kinds; a file added there joins
# the round trip unless it is listed as partial or invalid (and then must be refused).
EXAMPLES = sorted(path.name for path in FIXTURES.glob("*.yaml"))
# valid ODCS with no dataset (no schema objects, or objects without properties)
PARTIAL = {
    "azure-server.odcs.yaml",
    "basic-four-dpo.odcs.yaml",
    "database-table-sla.odcs.yaml",
    "kafka-schemaregistry.odcs.yaml",
    "kafka-server.odcs.yaml",
    "service-and-operational-roles.odcs.yaml",
}
# datacontract-cli's lint fixtures that are meant to fail validation
INVALID = {
    "lint-invalid.odcs.yaml",
    "lint-invalid_multiple_errors.odcs.yaml",
    "lint-invalid_multiple_schema_errors.odcs.yaml",
    "lint-odcs_with_extra_top_level.yaml",
}
FULL_DOCUMENTS = [name for name in EXAMPLES if name not in PARTIAL | INVALID]
# Keys the official schema does not know, exactly where import reports them as ignored: the
# expected export is the original document minus these keys and nothing else.
NOT_STRICTLY_VALID = {
    "cities-version-2.odcs.yaml": [
        "servers[8].delimiter", "servers[9].delimiter", "servers[10].delimiter",
    ],
    **{
        name: [f"schema[0].properties[{i}].{key}" for i in range(3) for key in V2_KEYS]
        for name in (
            "postgres.odcs.yaml",
            "postgres-case-sensitive.odcs.yaml",
            "postgres-servicelevels.odcs.yaml",
        )
    },
}  # fmt: skip


def test_every_vendored_example_is_in_the_round_trip_or_refused(odcs_fixture: Load) -> None:
    """All 32 examples: 22 go round trip, 6 partial and 4 invalid ones are refused."""
    assert len(EXAMPLES) == 32
    assert set(EXAMPLES) >= PARTIAL | INVALID
    assert len(FULL_DOCUMENTS) == 22
    for name in sorted(PARTIAL | INVALID):
        with pytest.raises(OdcsError) as caught:
            read_odcs(odcs_fixture(name))
        expected = "partial ODCS document: " if name in PARTIAL else "invalid ODCS document"
        assert caught.value.detail.startswith(expected), (name, caught.value.detail)


def test_vendored_copies_are_their_originals() -> None:
    """Each copy is its origin's bytes after one header line naming the origin (the cities
    and other renamed copies included); the originals' digests, taken from
    ../shared/testdata/odcs when vendoring, are in fixtures/odcs/ORIGINS."""
    origins = {
        line.split()[0]: line.split()[1:]
        for line in (FIXTURES / "ORIGINS").read_text().splitlines()
        if line and not line.startswith("#")
    }
    vendored = sorted(p.name for p in FIXTURES.iterdir() if p.name not in ("README.md", "ORIGINS"))
    assert sorted(origins) == vendored
    for name, (origin, digest) in origins.items():
        data = (FIXTURES / name).read_bytes()
        if name.endswith(".json"):  # JSON has no comment line: copied as is
            assert hashlib.sha256(data).hexdigest() == digest, f"{name} differs from {origin}"
            continue
        header, body = data.split(b"\n", 1)
        assert header.decode().startswith("# Vendored unchanged from "), name
        assert header.decode().split(": ", 1)[1].split(" (")[0] == origin.split(":", 1)[1], name
        assert hashlib.sha256(body).hexdigest() == digest, f"{name} differs from {origin}"


def _export_version(doc: dict[str, Any]) -> str:
    return doc["apiVersion"] if doc["apiVersion"] in ("v3.1.0", "v3.2.0") else "v3.1.0"


def _without(doc: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """The document minus the keys at ``paths`` (``servers[8].delimiter``); ODCS v2's
    ``isNullable``/``isUnique`` become the v3 keys import reads them as."""
    expected = copy.deepcopy(doc)
    for path in paths:
        *parents, key = path.split(".")
        node: Any = expected
        for part in parents:
            name, index = part.rstrip("]").split("[")
            node = node[name][int(index)]
        value = node.pop(key)
        if key == "isNullable":
            node.setdefault("required", not value)
        elif key == "isUnique":
            node.setdefault("unique", value)
    return expected


def _differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in [*a, *(k for k in b if k not in a)]:
            if key not in b or key not in a:
                found.append(f"{path}.{key}: only in {'the document' if key in a else 'export'}")
            else:
                found += _differences(a[key], b[key], f"{path}.{key}")
        return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} -> {b!r}"]


def _ignored_paths(warnings: list[str]) -> list[str]:
    """``"servers[8]: Unevaluated properties are not allowed ('delimiter' was unexpected)
    (ignored)"`` -> ``["servers[8].delimiter"]``."""
    paths = []
    for warning in warnings:
        if warning.endswith("(ignored)"):
            where, message = warning.split(": ", 1)
            keys = message.split("(", 1)[1].split(" was")[0].split(" were")[0]
            paths += [f"{where}.{key.strip(chr(39))}" for key in keys.split(", ")]
    return paths


@pytest.mark.parametrize("name", FULL_DOCUMENTS)
def test_export_of_import_gives_the_document_back(odcs_fixture: Load, name: str) -> None:
    doc = odcs_fixture(name)
    result = read_odcs(doc)
    version = _export_version(doc)
    [exported] = to_odcs_documents(result.contracts, api_version=version)
    ignored = NOT_STRICTLY_VALID.get(name, [])
    assert sorted(_ignored_paths(result.warnings)) == sorted(ignored)
    expected = {**_without(doc, ignored), "apiVersion": version}
    assert _differences(expected, without_datapact(exported)) == []


@pytest.mark.parametrize("name", FULL_DOCUMENTS)
@pytest.mark.parametrize("version", ["v3.1.0", "v3.2.0"])
def test_the_export_reads_back_as_the_same_contracts(
    odcs_fixture: Load, name: str, version: str
) -> None:
    """In either version (each export is checked against its official schema)."""
    contracts = from_odcs(odcs_fixture(name))
    [exported] = to_odcs_documents(contracts, api_version=version)
    assert exported["apiVersion"] == version
    again = from_odcs(exported)
    assert [_modeled(c) for c in again] == [_modeled(c) for c in contracts]
    assert [c.odcs_identity for c in again] == [c.odcs_identity for c in contracts]


def _modeled(contract: ContractDefinition) -> dict[str, Any]:
    document = contract.to_document()
    document.pop("odcs")
    return document


def test_a_single_contract_of_a_document_exports_as_that_object(odcs_fixture: Load) -> None:
    _, receivers = from_odcs(odcs_fixture("full-example.odcs.yaml"))
    document = to_odcs(receivers)
    assert [o["name"] for o in document["schema"]] == ["receivers"]
    assert document["id"] == "53581432-6c55-4ba2-a65f-72344a91553a"
    assert from_odcs(document)[0].odcs_identity == receivers.odcs_identity


# -- what DataPact models feeds the classifier ----------------------------------------------


def _edited(odcs_fixture: Load, edit: Callable[[dict[str, Any]], None]) -> tuple[Any, Any]:
    doc = odcs_fixture("full-example.odcs.yaml")
    new = copy.deepcopy(doc)
    edit(new)
    return from_odcs(doc)[0], from_odcs(new)[0]


def _rcvr_id(doc: dict[str, Any]) -> dict[str, Any]:
    prop: dict[str, Any] = doc["schema"][0]["properties"][1]
    assert prop["name"] == "rcvr_id"
    return prop


def _changes(old: ContractDefinition, new: ContractDefinition) -> list[tuple[str, str]]:
    return [(str(c.kind), str(c.severity)) for c in diff_contracts(old, new).changes]


def test_classification_change_is_a_warning(odcs_fixture: Load) -> None:
    old, new = _edited(odcs_fixture, lambda d: _rcvr_id(d).update(classification="secret"))
    assert _changes(old, new) == [("classification_changed", "warning")]


def test_physical_name_change_is_breaking(odcs_fixture: Load) -> None:
    old, new = _edited(odcs_fixture, lambda d: _rcvr_id(d).update(physicalName="receiver_id"))
    assert _changes(old, new) == [("physical_name_changed", "breaking")]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("numeric(10,2)", "numeric(12,4)", ("physical_type_widened", "warning")),
        ("varchar(18)", "varchar(30)", ("physical_type_widened", "warning")),
        ("numeric(12,4)", "numeric(10,2)", ("physical_type_changed", "breaking")),
        ("numeric(10,2)", "numeric(10,4)", ("physical_type_changed", "breaking")),
        ("varchar(18)", "varchar(10)", ("physical_type_changed", "breaking")),
        ("varchar(18)", "CHARACTER VARYING(18)", ("field_docs_changed", "info")),
    ],
)
def test_physical_type_change_is_breaking_unless_it_widens(
    odcs_fixture: Load, before: str, after: str, expected: tuple[str, str]
) -> None:
    doc = odcs_fixture("full-example.odcs.yaml")
    _rcvr_id(doc)["physicalType"] = before
    new = copy.deepcopy(doc)
    _rcvr_id(new)["physicalType"] = after
    assert _changes(from_odcs(doc)[0], from_odcs(new)[0]) == [expected]


def test_verbatim_sections_changed_are_reported(odcs_fixture: Load) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["roles"][0]["access"] = "write"
        _rcvr_id(doc)["customProperties"] = [{"property": "x", "value": 1}]
        doc["schema"][0]["quality"][0]["severity"] = "warning"  # not modelled: verbatim

    old, new = _edited(odcs_fixture, edit)
    report = diff_contracts(old, new)
    assert [(c.path, c.severity) for c in report.changes] == [
        ("odcs.roles", Severity.INFO),
        ("odcs.schema.quality", Severity.INFO),
        ("odcs.schema.properties.rcvr_id.customProperties", Severity.INFO),
    ]


def test_modelled_quality_rules_are_classified_not_verbatim(odcs_fixture: Load) -> None:
    def edit(doc: dict[str, Any]) -> None:
        doc["schema"][0]["quality"][0]["mustBeGreaterThan"] = 5  # rowCount > 1000000

    old, new = _edited(odcs_fixture, edit)
    assert [(c.path, c.severity) for c in diff_contracts(old, new).changes] == [
        ("quality_rules.rowCount", Severity.BREAKING)  # loosened
    ]


def test_slas_with_units_are_normalised_before_comparing() -> None:
    def doc(*slas: dict[str, Any]) -> dict[str, Any]:
        return {
            "apiVersion": "v3.1.0",
            "kind": "DataContract",
            "id": "x",
            "version": "1.0.0",
            "status": "active",
            "schema": [{"name": "t", "properties": [{"name": "a", "logicalType": "string"}]}],
            "slaProperties": list(slas),
        }

    [minutes] = from_odcs(doc({"property": "latency", "value": 5, "unit": "minutes"}))
    [seconds] = from_odcs(doc({"property": "freshness", "value": 300, "unit": "s"}))
    [text] = from_odcs(doc({"property": "latency", "value": "5 minutes"}))
    [days] = from_odcs(doc({"property": "latency", "value": 2, "unit": "d"}))
    [millis] = from_odcs(doc({"property": "latency", "value": "500ms"}))
    assert [q.parsed_threshold().seconds for q in millis.quality] == [0.5]  # not dropped
    assert [q.parsed_threshold().seconds for q in days.quality] == [172800]
    for same in (seconds, text):
        changes = diff_contracts(minutes, same).changes
        assert all(c.severity is Severity.INFO for c in changes), changes
        assert all(c.kind is not ChangeKind.SLA_WEAKENED for c in changes)
    weakened = diff_contracts(minutes, days).changes
    assert [(c.kind, c.severity) for c in weakened] == [
        (ChangeKind.SLA_WEAKENED, Severity.BREAKING)
    ]


def test_a_logical_type_edit_on_a_data_pact_export_wins(orders: ContractDefinition) -> None:
    document = to_odcs(orders)
    customer = document["schema"][0]["properties"][1]
    assert customer["name"] == "customer_id" and "physicalType" not in customer
    customer["logicalType"] = "string"
    [edited] = from_odcs(document)
    field = edited.field("customer_id")
    assert field is not None and field.data_type == "string"
    assert [c.kind for c in diff_contracts(orders, edited).changes] == [ChangeKind.TYPE_CHANGED]


def test_a_logical_type_edit_wins_over_a_known_physical_type(orders_doc: dict[str, Any]) -> None:
    orders_doc["schema"][1]["physical_type"] = "smallint"
    document = to_odcs(ContractDefinition.model_validate(orders_doc))
    document["schema"][0]["properties"][1]["logicalType"] = "string"
    result = read_odcs(document)
    field = result.contracts[0].field("customer_id")
    assert field is not None and field.data_type == "string"
    assert any("physicalType 'smallint' says otherwise" in w for w in result.warnings)


# -- edits made in DataPact land in place -----------------------------------------------------


def test_a_data_pact_edit_rewrites_only_its_part(odcs_fixture: Load) -> None:
    doc = odcs_fixture("full-example.odcs.yaml")
    tbl, receivers = from_odcs(doc)
    changed = tbl.to_document()
    changed["schema"][2]["nullable"] = False  # rcvr_cntry_code
    changed["schema"][2]["physical_type"] = "varchar(3)"
    changed["quality"][0]["threshold"] = "2 days"
    changed["version"] = "2.0.0"
    edited = ContractDefinition.model_validate(changed)
    [document] = to_odcs_documents([edited, receivers], api_version="v3.1.0")
    differences = _differences(doc, without_datapact(document))
    assert sorted(differences) == [
        ".schema[0].properties[2].physicalType: 'varchar(2)' -> 'varchar(3)'",
        ".schema[0].properties[2].required: False -> True",
        ".slaProperties[0].value: 4 -> 2",
        ".version: '1.1.0' -> '2.0.0'",
    ]
    assert from_odcs(document)[0].field("rcvr_cntry_code") == edited.field("rcvr_cntry_code")


def test_a_field_added_in_data_pact_is_written_whole(odcs_fixture: Load) -> None:
    tbl, _ = from_odcs(odcs_fixture("full-example.odcs.yaml"))
    changed = tbl.to_document()
    changed["schema"].append({"name": "note", "data_type": "string", "physical_type": "text"})
    document = to_odcs(ContractDefinition.model_validate(changed))
    note = document["schema"][0]["properties"][-1]
    assert (note["name"], note["logicalType"], note["physicalType"]) == ("note", "string", "text")
    assert note["required"] is False
