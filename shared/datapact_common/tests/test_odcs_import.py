"""ODCS -> DataPact with the standard's own examples and datacontract-cli's fixtures."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from datapact_common.contract_files import load_contract_file
from datapact_common.contract_schema import ContractDefinition
from datapact_common.diff import ChangeKind, diff_contracts
from datapact_common.exceptions import ContractValidationError, OdcsError
from datapact_common.odcs import from_odcs, read_odcs, to_odcs
from datapact_common.yaml_io import dump_yaml

Load = Callable[[str], Any]


def _field(contract: ContractDefinition, name: str) -> Any:
    field = contract.field(name)
    assert field is not None, contract.field_names
    return field


def _constraints(contract: ContractDefinition, name: str) -> list[tuple[str, Any]]:
    return [(str(c.type), c.value) for c in _field(contract, name).constraints]


# -- the standard's examples --------------------------------------------------------------------


def test_full_example_gives_one_contract_per_schema_object(odcs_fixture: Load) -> None:
    result = read_odcs(odcs_fixture("full-example.odcs.yaml"))
    tbl, receivers = result.contracts
    assert (tbl.name, receivers.name) == ("tbl", "receivers")
    assert (tbl.table, receivers.table) == ("tbl_1", "receivers_master")
    assert tbl.version == "1.1.0" and tbl.status == "active"
    assert tbl.description == "Provides core payment metrics"
    assert (tbl.publisher.team, tbl.publisher.owner) == ("my-team", "daustin")
    assert tbl.tags == ["transactions", "finance", "payments"]
    # Property-level relationship to a sibling object becomes a foreign key to its contract.
    rcvr_id = _field(tbl, "rcvr_id")
    assert (rcvr_id.is_foreign_key, rcvr_id.foreign_key_reference) == (True, "receivers.id")
    # A primary key can never be null, whatever the document says.
    assert rcvr_id.is_primary_key and not rcvr_id.nullable
    assert "tbl.rcvr_id: primary key read as required (not null)" in result.warnings
    # Dates in examples stay the strings the author wrote.
    assert _field(tbl, "transaction_reference_date").example_value == "2022-10-03"
    # latency is freshness; its element (tab1.txn_ref_dt: the example's only table under
    # another name) names the column it is measured on.
    assert [q.model_dump(exclude_defaults=True) for q in tbl.quality] == [
        {"metric_type": "freshness", "threshold": "4 days", "measurement_method": "txn_ref_dt"}
    ]
    assert [q.model_dump(exclude_defaults=True) for q in receivers.quality] == [
        {"metric_type": "freshness", "threshold": "4 days"}
    ]
    assert "SLA 'retention' has no DataPact equivalent; ignored" in result.warnings
    # The identity and everything DataPact does not model are kept.
    assert receivers.odcs is not None and tbl.odcs is not None
    assert receivers.odcs_identity == ("53581432-6c55-4ba2-a65f-72344a91553a", "receivers")
    assert tbl.odcs_identity == ("53581432-6c55-4ba2-a65f-72344a91553a", "tbl")
    custom = receivers.odcs.document["customProperties"]
    assert {"property": "refRulesetName", "value": "gcsc.ruleset.name"} in custom
    assert [r["role"] for r in receivers.odcs.document["roles"]][:1] == ["microstrategy_user_opr"]
    assert receivers.metadata == {}
    assert [f.name for f in receivers.schema_fields if f.is_primary_key] == ["id", "country_code"]


def test_unquoted_dates_stay_strings(odcs_fixture: Load) -> None:
    [contract] = from_odcs(odcs_fixture("table-column-description.odcs.yaml"))
    assert contract.name == "my_quantum"
    assert contract.table == "tbl"
    field = _field(contract, "txn_ref_dt")
    assert field.data_type == "date"
    assert field.example_value == "2022-10-03"
    assert isinstance(field.example_value, str)
    assert field.description.startswith("Reference date for the transaction.")


def test_all_data_types_map_to_data_pact_types(odcs_fixture: Load) -> None:
    [contract] = from_odcs(odcs_fixture("all-data-types.odcs.yaml"))
    types = {f.name: str(f.data_type) for f in contract.schema_fields}
    assert types == {
        "account_id": "string",
        "txn_ref_date": "date",
        "txn_timestamp": "datetime",
        "txn_timestamp_tz": "timestamp",
        "txn_time": "string",
        "amount": "float",
        "age": "integer",
        "is_open": "boolean",
        "latest_txns": "array",
        "customer_details": "json",
    }
    assert _constraints(contract, "account_id") == [
        ("min_length", 11), ("max_length", 11), ("regex", "ACC[0-9]{8}"),
    ]  # fmt: skip
    assert _constraints(contract, "amount") == [("min", 0)]
    # exclusiveMaximum 100 on an integer is max 99.
    assert _constraints(contract, "age") == [("min", 18), ("max", 99)]
    assert _constraints(contract, "txn_ref_date") == [
        ("expression", "txn_ref_date > '2020-01-01'"),
        ("expression", "txn_ref_date <= '2021-01-01'"),
    ]
    assert contract.publisher.team == "unknown"


def test_a_tolerance_rule_on_valid_values_is_not_an_enum(odcs_fixture: Load) -> None:
    [contract] = from_odcs(odcs_fixture("column-validity.odcs.yaml"))
    assert _constraints(contract, "air_quality_status") == []


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("azure-server.odcs.yaml", "schema: no schema objects"),
        ("basic-four-dpo.odcs.yaml", "schema: no schema objects"),
        ("database-table-sla.odcs.yaml", "schema: no schema objects"),
        ("service-and-operational-roles.odcs.yaml", "schema: no schema objects"),
        ("kafka-server.odcs.yaml", "schema[0] (Orders): no properties"),
        (
            "kafka-schemaregistry.odcs.yaml",
            "schema[0] (Orders): no properties (its fields are defined elsewhere: "
            "https://schema-registry:8081)",
        ),
    ],
)
def test_partial_documents_are_refused_saying_what_is_needed(
    odcs_fixture: Load, name: str, missing: str
) -> None:
    """Six of the standard's examples are valid ODCS without a dataset: not "invalid"."""
    with pytest.raises(OdcsError) as caught:
        from_odcs(odcs_fixture(name))
    assert caught.value.detail.startswith("partial ODCS document: ")
    assert "invalid" not in caught.value.detail.lower()
    assert caught.value.errors[0].startswith(missing)
    assert "properties: [{name: <field>, logicalType: <type>}" in caught.value.errors[-1]


# -- datacontract-cli fixtures ------------------------------------------------------------------


def test_postgres_fixture_with_odcs_v2_keys(odcs_fixture: Load) -> None:
    result = read_odcs(odcs_fixture("postgres.odcs.yaml"))
    [contract] = result.contracts
    assert (contract.name, contract.table, contract.version) == ("postgres", "my_table", "0.0.1")
    one, two, three = contract.schema_fields
    assert (one.nullable, one.unique) == (False, True)
    assert (two.nullable, two.unique) == (True, False)
    assert _constraints(contract, "field_one") == [("regex", r"[A-Za-z]{2}-\d{3}-[A-Za-z]{2}$")]
    assert _constraints(contract, "field_two") == [("min", 10)]
    assert three.data_type == "timestamp"  # physicalType timestamptz
    assert contract.publisher.team == "my-domain-team"  # no team: the domain stands in
    assert any("isNullable, isUnique" in w for w in result.warnings)
    assert any("'isNullable', 'isUnique' were unexpected" in w for w in result.warnings)


def test_postgres_service_levels(odcs_fixture: Load) -> None:
    [contract] = from_odcs(odcs_fixture("postgres-servicelevels.odcs.yaml"))
    assert [(q.metric_type, q.threshold) for q in contract.quality] == [("freshness", "1 hour")]


def test_schema_evolution_through_the_change_classifier(odcs_fixture: Load) -> None:
    v1, v2, v3 = (from_odcs(odcs_fixture(f"cities-version-{n}.odcs.yaml"))[0] for n in (1, 2, 3))
    assert v1.name == v2.name == v3.name == "cities"
    added = diff_contracts(v1, v2)
    # The servers section is kept verbatim: its change shows, at info level.
    assert [(c.kind, c.path) for c in added.changes] == [
        (ChangeKind.FIELD_ADDED, "schema.population"),
        (ChangeKind.DOCS_CHANGED, "odcs.servers"),
    ]
    assert added.bump_ok  # 1.0.0 -> 2.0.0
    tightened = diff_contracts(v2, v3)
    assert [c.kind for c in tightened.changes] == [
        ChangeKind.NULLABLE_TIGHTENED,
        ChangeKind.DOCS_CHANGED,
    ]
    # Both files say 2.0.0: DataPact would ask for at least a patch release.
    assert not tightened.bump_ok
    assert tightened.violation is not None and "at least 2.0.1" in tightened.violation


def test_unknown_server_keys_are_warnings(odcs_fixture: Load) -> None:
    result = read_odcs(odcs_fixture("cities-version-2.odcs.yaml"))
    assert any("'delimiter' was unexpected" in w and "(ignored)" in w for w in result.warnings)
    assert result.contracts[0].access is None  # local files, not an HTTP endpoint


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("lint-invalid.odcs.yaml", ["(document): 'status' is a required property"]),
        (
            "lint-invalid_multiple_errors.odcs.yaml",
            [
                "(document): 'version' is a required property",
                "(document): 'status' is a required property",
            ],
        ),
        (
            "lint-invalid_multiple_schema_errors.odcs.yaml",
            ["schema[0].description: None is not of type 'string'"],
        ),
        (
            "lint-odcs_with_extra_top_level.yaml",
            [
                "(document): Additional properties are not allowed "
                "('change_management' was unexpected)"
            ],
        ),
    ],
)
def test_invalid_documents_are_refused_with_every_problem(
    odcs_fixture: Load, name: str, problems: list[str]
) -> None:
    with pytest.raises(OdcsError) as caught:
        from_odcs(odcs_fixture(name))
    assert caught.value.errors == problems
    assert caught.value.detail.startswith(f"invalid ODCS document ({len(problems)} problem(s)): ")
    assert caught.value.status_code == 422


def test_valid_lint_fixture_imports(odcs_fixture: Load) -> None:
    [contract] = from_odcs(odcs_fixture("lint-valid.odcs.yaml"))
    assert contract.name == "valid_odcs_data_contract"
    assert contract.publisher.team == "fulfillment"


# -- names, versions, statuses, publisher -----------------------------------------------------


def _foreign(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "apiVersion": "v3.0.2",
        "kind": "DataContract",
        "id": "c1",
        "name": "Shop Orders",
        "version": "1.0.0",
        "status": "active",
        "team": {"name": "shop", "members": [{"username": "zoe", "role": "Data Owner"}]},
        "schema": [
            {
                "name": "orders",
                "properties": [
                    {
                        "name": "order id",
                        "logicalType": "string",
                        "physicalType": "uuid",
                        "required": True,
                    },
                    {"name": "1st-item", "logicalType": "integer"},
                    {"name": "note"},
                ],
            }
        ],
    }
    doc.update(overrides)
    return doc


def test_names_are_sanitized() -> None:
    result = read_odcs(_foreign())
    [contract] = result.contracts
    assert contract.name == "shop_orders"
    assert contract.field_names == ["order_id", "_1st_item", "note"]
    assert _field(contract, "order_id").data_type == "uuid"
    assert _field(contract, "note").data_type == "string"
    assert "name 'Shop Orders' imported as contract 'shop_orders'" in result.warnings
    assert "orders.note: no type given; read as string" in result.warnings
    assert (contract.publisher.team, contract.publisher.owner) == ("shop", "zoe")


def test_name_starting_with_a_digit() -> None:
    assert from_odcs(_foreign(name="2024 Sales"))[0].name == "c_2024_sales"


@pytest.mark.parametrize(
    ("version", "expected", "note"),
    [
        ("1.0", "1.0.0", "version '1.0' read as 1.0.0"),
        ("2", "2.0.0", "version '2' read as 2.0.0"),
        ("v1.2.3", "1.2.3", "version 'v1.2.3' read as 1.2.3"),
        ("1.0.0-rc.1", "1.0.0", "pre-release/build suffix dropped"),
        ("0.0.1", "0.0.1", None),
    ],
)
def test_versions_are_coerced(version: str, expected: str, note: str | None) -> None:
    result = read_odcs(_foreign(version=version))
    assert result.contracts[0].version == expected
    if note:
        assert any(note in w for w in result.warnings)


def test_a_version_that_is_no_version_is_refused() -> None:
    with pytest.raises(OdcsError, match=r"version: 'latest' is not a version like 1\.2\.0"):
        from_odcs(_foreign(version="latest"))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("proposed", "draft"),
        ("retired", "deprecated"),
        ("Deprecated", "deprecated"),
        ("development", "draft"),
    ],
)
def test_statuses_are_mapped(status: str, expected: str) -> None:
    assert from_odcs(_foreign(status=status))[0].status == expected


def test_publisher_can_be_overridden() -> None:
    doc = _foreign()
    doc.pop("team")
    [contract] = from_odcs(doc, team="checkout", owner="alice")
    assert (contract.publisher.team, contract.publisher.owner) == ("checkout", "alice")


def test_legacy_team_member_list() -> None:
    doc = _foreign(
        team=[{"username": "ann", "role": "steward"}, {"username": "ben", "role": "owner"}]
    )
    [contract] = from_odcs(doc)
    assert contract.publisher.owner == "ben"


def test_several_objects_with_a_document_name_are_prefixed_and_linked() -> None:
    doc = _foreign(name="shop")
    qualified = "schema/items_obj/properties/item_pk"
    customer = {"name": "customer", "relationships": [{"to": "customers.id"}]}
    item = {"name": "item", "relationships": [{"to": qualified}]}
    doc["schema"] = [
        {"name": "orders", "properties": [customer, item]},
        {"name": "customers", "properties": [{"name": "id", "primaryKey": True}]},
        {"id": "items_obj", "name": "items", "properties": [{"id": "item_pk", "name": "id"}]},
    ]
    contracts = from_odcs(doc)
    assert [c.name for c in contracts] == ["shop_orders", "shop_customers", "shop_items"]
    orders = contracts[0]
    assert _field(orders, "customer").foreign_key_reference == "shop_customers.id"
    assert _field(orders, "item").foreign_key_reference == "shop_items.id"


def test_composite_relationships_are_reported_not_imported() -> None:
    doc = _foreign()
    doc["schema"][0]["properties"][1]["relationships"] = [{"to": ["a.b", "a.c"]}]
    result = read_odcs(doc)
    assert _field(result.contracts[0], "_1st_item").foreign_key_reference is None
    assert any("not a single 'table.column' reference" in w for w in result.warnings)


def test_api_server_becomes_the_access_endpoint() -> None:
    database = {"host": "h", "port": 5432, "database": "d", "schema": "s"}
    doc = _foreign(
        servers=[
            {"server": "db", "type": "postgres", **database},
            {"server": "api", "type": "api", "location": "https://data.example.com/v1/orders"},
        ]
    )
    access = from_odcs(doc)[0].access
    assert access is not None and access.endpoint_url == "https://data.example.com/v1/orders"


def test_sla_values_in_other_units_and_shapes() -> None:
    doc = _foreign(slaProperties=[
        {"property": "freshness", "value": 2, "unit": "y"},
        {"property": "availability", "value": "99.9%"},
        {"property": "completeness", "value": 98, "unit": "percent"},
        {"property": "uniqueness", "value": 5, "unit": "rows"},
    ])  # fmt: skip
    result = read_odcs(doc)
    thresholds = {str(q.metric_type): q.threshold for q in result.contracts[0].quality}
    assert thresholds == {
        "freshness": "63072000 seconds",
        "availability": "99.9%",
        "completeness": "98%",
    }
    assert any("SLA 'uniqueness'" in w for w in result.warnings)


@pytest.mark.parametrize("doc", [None, [], "apiVersion: v3", 3])
def test_a_non_mapping_is_refused(doc: Any) -> None:
    with pytest.raises(OdcsError, match="must be a mapping"):
        from_odcs(doc)


def test_a_document_without_schema_objects_is_refused() -> None:
    with pytest.raises(OdcsError, match=r"^partial ODCS document: it has no schema objects"):
        from_odcs(_foreign(schema=[]))
    doc = _foreign()
    doc["schema"].append({"name": "later"})
    with pytest.raises(OdcsError, match=r"1 of 2 schema object\(s\) list no properties"):
        from_odcs(doc)


def test_a_foreign_document_that_cannot_make_a_valid_contract_says_why() -> None:
    doc = _foreign()
    doc["schema"][0]["properties"][0]["logicalTypeOptions"] = {
        "minLength": 5,
        "maxLength": 5,
        "pattern": "([",
    }
    result = read_odcs(doc)  # an invalid pattern is skipped, not fatal
    assert any("is not a valid regex" in w for w in result.warnings)


# -- edits made in an ODCS tool win over the DataPact details ------------------------------------


def test_edits_to_natural_fields_win(orders: ContractDefinition) -> None:
    doc = copy.deepcopy(to_odcs(orders, api_version="v3.1.0"))
    props = {p["name"]: p for p in doc["schema"][0]["properties"]}
    props["email"]["required"] = True
    props["email"]["logicalTypeOptions"]["maxLength"] = 100
    props["amount"]["logicalTypeOptions"].pop("maximum")
    props["state"]["quality"][0]["arguments"]["validValues"] = ["new", "paid"]
    doc["slaProperties"][0]["value"] = 30
    doc["description"]["purpose"] = "Edited elsewhere"
    [edited] = from_odcs(doc)
    email = _field(edited, "email")
    assert not email.nullable
    assert [(c.type, c.value, c.message) for c in email.constraints] == [
        ("regex", r"^[^@]+@[^@]+$", "must be an address"), ("max_length", 100, None),
    ]  # fmt: skip
    assert _constraints(edited, "amount") == [("min", 0)]
    assert _constraints(edited, "state") == [("enum", ["new", "paid"])]
    freshness = edited.quality[0]
    assert (freshness.threshold, freshness.measurement_method) == ("30 minutes", "max(created_at)")
    assert edited.description == "Edited elsewhere"


# -- files mixing both formats ------------------------------------------------------------------


def test_a_file_may_mix_data_pact_and_odcs_documents(
    orders: ContractDefinition, odcs_fixture: Load
) -> None:
    text = dump_yaml(orders.to_document()) + "---\n" + dump_yaml(odcs_fixture("postgres.odcs.yaml"))
    loaded = load_contract_file(text, team="platform")
    assert [c.name for c in loaded.contracts] == ["orders", "postgres"]
    assert loaded.contracts[1].publisher.team == "platform"
    assert all(w.startswith("document 2 of 2: ") for w in loaded.warnings)


def test_errors_in_a_mixed_file_name_the_document(
    orders: ContractDefinition, odcs_fixture: Load
) -> None:
    good = dump_yaml(orders.to_document())
    with pytest.raises(OdcsError, match=r"^document 2 of 2: invalid ODCS document"):
        load_contract_file(good + "---\n" + dump_yaml(odcs_fixture("lint-invalid.odcs.yaml")))
    with pytest.raises(ContractValidationError, match=r"^document 1 of 2: invalid contract"):
        load_contract_file("name: X\n---\n" + good)
    with pytest.raises(ContractValidationError, match="no contract document"):
        load_contract_file("")


def test_subscribers_are_only_set_when_the_document_carries_them(
    orders: ContractDefinition,
) -> None:
    """So that importing a foreign document never reads as "no subscribers any more"."""
    [foreign] = from_odcs(_foreign())
    assert "subscribers" not in foreign.model_fields_set
    [ours] = from_odcs(to_odcs(orders))
    assert "subscribers" in ours.model_fields_set and len(ours.subscribers) == 3
