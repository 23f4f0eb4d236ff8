"""DataPact -> ODCS: valid against the official schemas, natural mappings, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from open_data_contract_standard.model import OpenDataContractStandard

from datapact_common.contract_schema import ContractDefinition
from datapact_common.exceptions import OdcsError
from datapact_common.odcs import EXPORT_API_VERSION, from_odcs, is_odcs, package_schema, to_odcs
from datapact_common.yaml_io import dump_yaml, load_yaml

SCHEMA_V3_1 = json.loads(
    (Path(__file__).parent / "fixtures" / "odcs" / "odcs-json-schema-v3.1.0.json").read_text()
)
SCHEMAS = {"v3.1.0": SCHEMA_V3_1, "v3.2.0": package_schema()}
VERSIONS = list(SCHEMAS)


def _property(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in doc["schema"][0]["properties"] if p["name"] == name)


def _custom(item: dict[str, Any]) -> dict[str, Any]:
    return {c["property"]: c["value"] for c in item.get("customProperties", [])}


def _own_rules(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Quality rules other than those DataPact derives from its SLAs."""
    return [r for r in item.get("quality", []) if "datapactRule" not in _custom(r)]


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def exported(orders: ContractDefinition, version: str) -> dict[str, Any]:
    return to_odcs(orders, api_version=version)


def test_the_default_is_the_newest_version_the_package_validates() -> None:
    assert EXPORT_API_VERSION == "v3.2.0"
    assert "v3.2.0" in package_schema()["properties"]["apiVersion"]["enum"]


def test_export_validates_against_the_official_schema_of_its_version(
    exported: dict[str, Any], version: str
) -> None:
    assert exported["apiVersion"] == version
    errors = list(jsonschema.Draft201909Validator(SCHEMAS[version]).iter_errors(exported))
    assert errors == []


def test_export_is_accepted_by_the_standard_pydantic_model(exported: dict[str, Any]) -> None:
    model = OpenDataContractStandard.from_string(dump_yaml(exported))
    assert model.name == "orders"


def test_an_unknown_version_is_refused(orders: ContractDefinition) -> None:
    with pytest.raises(OdcsError, match=r"ODCS v3\.0\.2 cannot be exported"):
        to_odcs(orders, api_version="v3.0.2")


def test_contract_level_mapping(exported: dict[str, Any]) -> None:
    assert exported["kind"] == "DataContract"
    assert (exported["id"], exported["name"], exported["version"]) == ("orders", "orders", "1.2.0")
    assert exported["status"] == "active"
    assert exported["description"] == {"purpose": "Orders placed in the web shop"}
    assert exported["tags"] == ["sales", "core"]
    assert exported["team"] == {
        "name": "checkout",
        "members": [{"username": "alice", "role": "owner"}],
    }
    [obj] = exported["schema"]
    assert (obj["name"], obj["physicalName"], obj["logicalType"]) == (
        "orders",
        "shop_orders",
        "object",
    )


def test_property_mapping(exported: dict[str, Any], version: str) -> None:
    order_id = _property(exported, "order_id")
    assert order_id["logicalType"] == "string"
    assert order_id["logicalTypeOptions"] == {"format": "uuid"}
    assert (order_id["required"], order_id["primaryKey"], order_id["primaryKeyPosition"]) == (
        True,
        True,
        1,
    )
    customer = _property(exported, "customer_id")
    assert customer["relationships"] == [{"type": "foreignKey", "to": "customers.customer_id"}]
    email = _property(exported, "email")
    assert email["required"] is False
    assert email["logicalTypeOptions"] == {"pattern": r"^[^@]+@[^@]+$", "maxLength": 255}
    assert _custom(email)["datapactPii"] is True
    amount = _property(exported, "amount")
    assert amount["logicalType"] == "number"
    assert amount["logicalTypeOptions"] == {"minimum": 0, "maximum": 10000}
    assert amount["examples"] == [12.5]
    state = _property(exported, "state")
    if version == "v3.1.0":
        assert state["quality"] == [
            {
                "type": "library",
                "metric": "invalidValues",
                "arguments": {"validValues": ["new", "paid", "shipped"]},
                "mustBe": 0,
            }
        ]
    else:  # v3.2 says it natively
        assert state["enum"] == [{"value": "new"}, {"value": "paid"}, {"value": "shipped"}]
        assert "quality" not in state
    created = _property(exported, "created_at")
    assert created["logicalTypeOptions"] == {"timezone": True}


def test_physical_type_is_written_only_when_known(orders_doc: dict[str, Any]) -> None:
    """Never DataPact's own type name: a tool checking the database against it would fail
    clean data (a smallint column is no `integer`)."""
    orders_doc["schema"][1]["physical_type"] = "smallint"
    document = to_odcs(ContractDefinition.model_validate(orders_doc))
    assert _property(document, "customer_id")["physicalType"] == "smallint"
    assert "physicalType" not in _property(document, "amount")


def test_physical_name_and_classification(orders_doc: dict[str, Any]) -> None:
    orders_doc["schema"][2] |= {"physical_name": "EMail", "classification": "restricted"}
    contract = ContractDefinition.model_validate(orders_doc)
    email = _property(to_odcs(contract), "email")
    assert (email["physicalName"], email["classification"]) == ("EMail", "restricted")
    assert from_odcs(to_odcs(contract)) == [contract]


def test_exact_data_pact_details_travel_in_custom_properties(
    exported: dict[str, Any], orders: ContractDefinition
) -> None:
    assert _custom(exported)["datapactPublisher"]["contact_email"] == "checkout@example.com"
    custom = _custom(exported["schema"][0])  # the contract's own details, on its object
    assert [s["team"] for s in custom["datapactSubscribers"]] == [
        "finance",
        "marketing",
        "analytics",
    ]
    assert custom["datapactSubscribers"][0]["fields_used"] == ["order_id", "amount"]
    assert custom["datapactMetadata"] == {"domain": "commerce", "tier": 1}
    assert custom["datapactQuality"][0]["measurement_method"] == "max(created_at)"
    email = _custom(_property(exported, "email"))
    assert email["datapactDataType"] == "string"
    assert email["datapactConstraints"][0]["message"] == "must be an address"


def test_quality_slas_in_the_forms_datacontract_cli_executes(exported: dict[str, Any]) -> None:
    assert exported["slaProperties"] == [
        # freshness with the column it is measured on (measurement_method max(created_at))
        {"property": "freshness", "value": 15, "unit": "m", "element": "orders.created_at"},
        {"property": "completeness", "value": 99.5, "unit": "percent"},
    ]
    # completeness 99.5%: each nullable field at most 0.5% null; required ones have none.
    [rule] = _property(exported, "email")["quality"]
    assert rule["metric"] == "nullValues"
    assert (rule["mustBeLessOrEqualTo"], rule["unit"]) == (0.5, "percent")
    assert _custom(rule) == {"datapactRule": "completeness"}
    assert "quality" not in _property(exported, "amount")


def test_uniqueness_as_duplicate_values_rules(orders_doc: dict[str, Any]) -> None:
    orders_doc["quality"].append({"metric_type": "uniqueness", "threshold": "100%"})
    orders_doc["schema"][2]["unique"] = True
    document = to_odcs(ContractDefinition.model_validate(orders_doc))
    for name in ("order_id", "email"):
        rules = [r for r in _property(document, name)["quality"] if r["metric"] != "nullValues"]
        assert [(r["metric"], r["mustBe"]) for r in rules] == [("duplicateValues", 0)]
    # a primary key over several fields is one rule on the object
    orders_doc["schema"][5] |= {"is_primary_key": True}
    document = to_odcs(ContractDefinition.model_validate(orders_doc))
    [rule] = document["schema"][0]["quality"]
    assert rule["arguments"] == {"properties": ["order_id", "created_at"]}
    assert rule["mustBe"] == 0


def test_servers_and_access(exported: dict[str, Any]) -> None:
    [server] = exported["servers"]
    assert (server["type"], server["location"]) == ("api", "https://data.example.com/orders")
    assert _custom(server)["datapactAccess"]["auth_type"] == "oauth2"


def test_round_trip_is_lossless(
    orders: ContractDefinition, exported: dict[str, Any], version: str
) -> None:
    assert from_odcs(exported) == [orders]
    assert from_odcs(load_yaml(dump_yaml(exported))) == [orders]


def test_minimal_contract_round_trips(version: str) -> None:
    contract = ContractDefinition.model_validate(
        {
            "name": "tiny",
            "version": "0.0.1",
            "publisher": {"team": "t", "owner": "o"},
            "schema": [{"name": "id", "data_type": "integer"}],
        }
    )
    document = to_odcs(contract, api_version=version)
    assert "physicalName" not in document["schema"][0]
    assert "description" not in document
    assert from_odcs(document) == [contract]


@pytest.mark.parametrize(
    ("threshold", "written"),
    [
        ("1h", {"value": 1, "unit": "h"}),
        ("2 days", {"value": 2, "unit": "d"}),
        ("1.5 hours", {"value": 90, "unit": "m"}),
        # below a minute: an ISO 8601 duration, which datacontract-cli reads too
        ("90s", {"value": "PT90S"}),
        ("500ms", {"value": "PT0.5S"}),
    ],
)
def test_freshness_is_written_in_its_largest_whole_unit(
    orders_doc: dict[str, Any], threshold: str, written: dict[str, Any]
) -> None:
    orders_doc["quality"][0]["threshold"] = threshold
    contract = ContractDefinition.model_validate(orders_doc)
    document = to_odcs(contract)
    sla = document["slaProperties"][0]
    assert sla == {"property": "freshness", **written, "element": "orders.created_at"}
    assert from_odcs(document) == [contract]


def test_freshness_names_no_element_when_its_column_is_no_field(
    orders_doc: dict[str, Any],
) -> None:
    orders_doc["quality"][0].pop("measurement_method")  # the data service's updated_at
    document = to_odcs(ContractDefinition.model_validate(orders_doc))
    assert "element" not in document["slaProperties"][0]


def test_format_detection(orders: ContractDefinition, exported: dict[str, Any]) -> None:
    assert is_odcs(exported)
    assert is_odcs({"apiVersion": "v3.0.2"})
    assert not is_odcs(orders.to_document())
    assert not is_odcs(["kind", "DataContract"])


def test_volume_and_named_field_slas_export_as_rules_and_round_trip(
    orders_doc: dict[str, Any], version: str
) -> None:
    orders_doc["schema"][2]["unique"] = True
    orders_doc["quality"] = [
        {"metric_type": "completeness", "threshold": "90%", "fields": ["email"]},
        {"metric_type": "uniqueness", "threshold": "100%", "fields": ["email"]},
        {"metric_type": "volume", "threshold": "10..5000"},
    ]
    contract = ContractDefinition.model_validate(orders_doc)
    document = to_odcs(contract, api_version=version)
    jsonschema.validate(document, SCHEMAS[version])
    [row_count] = document["schema"][0]["quality"]
    assert (row_count["metric"], row_count["mustBeBetween"]) == ("rowCount", [10, 5000])
    assert {"property": "volume", "value": "10..5000"} in document["slaProperties"]
    # the named fields only: email gets both rules, no other field any
    email = [
        r
        for r in _property(document, "email")["quality"]
        if r not in _own_rules(_property(document, "email"))
    ]
    assert [r["metric"] for r in email] == [
        "nullValues", "duplicateValues",
    ]  # fmt: skip
    others = [p for p in document["schema"][0]["properties"] if p["name"] != "email"]
    assert all(_own_rules(p) == p.get("quality", []) for p in others)  # none derived
    assert from_odcs(document) == [contract]
    assert from_odcs(load_yaml(dump_yaml(document))) == [contract]


@pytest.mark.parametrize(
    ("threshold", "bounds"),
    [
        ("100..", {"mustBeGreaterOrEqualTo": 100}),
        ("..100 rows", {"mustBeLessOrEqualTo": 100}),
        ("100..100", {"mustBe": 100}),  # mustBeBetween's items must differ (uniqueItems)
    ],
)
def test_an_open_or_exact_volume_range_is_one_bound(
    orders_doc: dict[str, Any], threshold: str, bounds: dict[str, Any]
) -> None:
    orders_doc["quality"] = [{"metric_type": "volume", "threshold": threshold}]
    contract = ContractDefinition.model_validate(orders_doc)
    document = to_odcs(contract)
    [rule] = document["schema"][0]["quality"]
    assert {k: v for k, v in rule.items() if k.startswith("mustBe")} == bounds
    assert from_odcs(document) == [contract]
    to_odcs(contract, api_version="v3.1.0")  # valid for the older schema too
