"""DataPact -> ODCS: valid against the official schemas, natural mappings, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from open_data_contract_standard.model import OpenDataContractStandard

from datapact_common.contract_schema import ContractDefinition
from datapact_common.odcs import from_odcs, is_odcs, package_schema, to_odcs
from datapact_common.yaml_io import dump_yaml, load_yaml

SCHEMA_V3_1 = json.loads(
    (Path(__file__).parent / "fixtures" / "odcs" / "odcs-json-schema-v3.1.0.json").read_text()
)


def _property(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in doc["schema"][0]["properties"] if p["name"] == name)


def _custom(item: dict[str, Any]) -> dict[str, Any]:
    return {c["property"]: c["value"] for c in item.get("customProperties", [])}


@pytest.fixture
def exported(orders: ContractDefinition) -> dict[str, Any]:
    return to_odcs(orders)


@pytest.mark.parametrize("schema", [SCHEMA_V3_1, package_schema()], ids=["v3.1.0", "package"])
def test_export_validates_against_the_official_schemas(
    exported: dict[str, Any], schema: dict[str, Any]
) -> None:
    errors = list(jsonschema.Draft201909Validator(schema).iter_errors(exported))
    assert errors == []


def test_export_is_accepted_by_the_standard_pydantic_model(exported: dict[str, Any]) -> None:
    model = OpenDataContractStandard.from_string(dump_yaml(exported))
    assert model.name == "orders"


def test_contract_level_mapping(exported: dict[str, Any]) -> None:
    assert exported["apiVersion"] == "v3.1.0"
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


def test_property_mapping(exported: dict[str, Any]) -> None:
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
    assert (amount["logicalType"], amount["physicalType"]) == ("number", "decimal")
    assert amount["logicalTypeOptions"] == {"minimum": 0, "maximum": 10000}
    assert amount["examples"] == [12.5]
    state = _property(exported, "state")
    assert state["quality"] == [
        {
            "type": "library",
            "metric": "invalidValues",
            "arguments": {"validValues": ["new", "paid", "shipped"]},
            "mustBe": 0,
        }
    ]
    created = _property(exported, "created_at")
    assert created["logicalTypeOptions"] == {"timezone": True}


def test_exact_data_pact_details_travel_in_custom_properties(
    exported: dict[str, Any], orders: ContractDefinition
) -> None:
    custom = _custom(exported)
    assert custom["datapactPublisher"]["contact_email"] == "checkout@example.com"
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


def test_quality_slas_and_access(exported: dict[str, Any]) -> None:
    assert exported["slaProperties"] == [
        {"property": "latency", "value": 15, "unit": "m"},
        {"property": "completeness", "value": 99.5, "unit": "percent"},
    ]
    [server] = exported["servers"]
    assert (server["type"], server["location"]) == ("api", "https://data.example.com/orders")
    assert _custom(server)["datapactAccess"]["auth_type"] == "oauth2"


def test_round_trip_is_lossless(orders: ContractDefinition, exported: dict[str, Any]) -> None:
    assert from_odcs(exported) == [orders]
    assert from_odcs(load_yaml(dump_yaml(exported))) == [orders]


def test_minimal_contract_round_trips(orders_doc: dict[str, Any]) -> None:
    contract = ContractDefinition.model_validate(
        {
            "name": "tiny",
            "version": "0.0.1",
            "publisher": {"team": "t", "owner": "o"},
            "schema": [{"name": "id", "data_type": "integer"}],
        }
    )
    document = to_odcs(contract)
    assert "physicalName" not in document["schema"][0]
    assert "description" not in document
    assert from_odcs(document) == [contract]


@pytest.mark.parametrize(
    ("threshold", "value", "unit"),
    [
        ("1h", 1, "h"),
        ("2 days", 2, "d"),
        ("90s", 90, "s"),
        ("1.5 hours", 90, "m"),
        ("PT0.5S", 0.5, "s"),
    ],
)
def test_freshness_is_written_in_its_largest_whole_unit(
    orders_doc: dict[str, Any], threshold: str, value: float, unit: str
) -> None:
    orders_doc["quality"][0]["threshold"] = threshold
    contract = ContractDefinition.model_validate(orders_doc)
    document = to_odcs(contract)
    assert document["slaProperties"][0] == {"property": "latency", "value": value, "unit": unit}
    assert from_odcs(document) == [contract]


def test_format_detection(orders: ContractDefinition, exported: dict[str, Any]) -> None:
    assert is_odcs(exported)
    assert is_odcs({"apiVersion": "v3.0.2"})
    assert not is_odcs(orders.to_document())
    assert not is_odcs(["kind", "DataContract"])
