"""The contract document: every validation rule, reported with location and a clear message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datapact_common.contract_schema import (
    ContractDefinition,
    DataType,
    MetricType,
)
from datapact_common.documents import parse_contract
from datapact_common.exceptions import ContractValidationError
from datapact_common.thresholds import Duration, Percentage

Doc = dict[str, Any]


def _errors(doc: Any) -> list[dict[str, Any]]:
    with pytest.raises(ContractValidationError) as caught:
        parse_contract(doc)
    assert caught.value.status_code == 422
    if isinstance(doc, dict):
        assert caught.value.detail.startswith("invalid contract: ")
    return caught.value.errors


def _fields(doc: Doc) -> list[Doc]:
    fields: list[Doc] = doc["schema"]
    return fields


def test_the_example_document_is_valid(orders: ContractDefinition) -> None:
    assert orders.name == "orders"
    assert orders.effective_table == "shop_orders"
    assert orders.field_names[:2] == ["order_id", "customer_id"]
    assert orders.field("email") is not None and orders.field("email").is_pii  # type: ignore[union-attr]
    assert orders.field("nope") is None
    assert orders.field("order_id").is_unique  # type: ignore[union-attr]  # primary keys are unique
    freshness = orders.quality_metric(MetricType.FRESHNESS)
    assert freshness is not None and freshness.parsed_threshold() == Duration(900)
    completeness = orders.quality_metric(MetricType.COMPLETENESS)
    assert completeness is not None and completeness.parsed_threshold() == Percentage(99.5)
    assert orders.quality_metric(MetricType.UNIQUENESS) is None


def test_minimal_document_gets_defaults() -> None:
    contract = parse_contract(
        {
            "name": "tiny",
            "version": "0.1.0",
            "publisher": {"team": "t", "owner": "o"},
            "schema": [{"name": "id", "data_type": "integer"}],
        }
    )
    assert contract.status == "active"
    assert contract.effective_table == "tiny"
    field = contract.schema_fields[0]
    assert (field.nullable, field.is_pii, field.unique, field.constraints) == (
        True,
        False,
        False,
        [],
    )
    assert contract.to_document(exclude_defaults=True) == {
        "name": "tiny",
        "version": "0.1.0",
        "publisher": {"team": "t", "owner": "o"},
        "schema": [{"name": "id", "data_type": "integer"}],
    }


def test_document_uses_the_schema_key(orders: ContractDefinition) -> None:
    document = orders.to_document()
    assert "schema" in document and "schema_fields" not in document
    assert document["schema"][0]["data_type"] == "uuid"


def test_read_only_server_keys_are_dropped(orders_doc: Doc) -> None:
    orders_doc |= {"id": "abc", "created_at": "x", "updated_at": "y", "compliance": {}}
    assert parse_contract(orders_doc).name == "orders"
    with pytest.raises(ContractValidationError, match="id: unknown field"):
        parse_contract(orders_doc, strip_read_only=False)


@pytest.mark.parametrize("doc", [[1, 2], "name: x", None, 42])
def test_a_non_mapping_is_refused(doc: Any) -> None:
    errors = _errors(doc)
    assert errors[0]["loc"] == "(document)"
    with pytest.raises(ContractValidationError, match="must be a mapping"):
        parse_contract(doc)


CASES: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("name with capitals", lambda d: d.update(name="Orders"), "name", "lower-case letters"),
    ("name with dash", lambda d: d.update(name="my-orders"), "name", "lower-case letters"),
    ("name starting with digit", lambda d: d.update(name="1orders"), "name", "pattern"),
    ("version not semver", lambda d: d.update(version="1.0"), "version", "pattern"),
    ("unknown status", lambda d: d.update(status="retired"), "status", "'active'"),
    ("unknown top-level key", lambda d: d.update(owner="bob"), "owner", "unknown field"),
    (
        "typo in a field key",
        lambda d: d["schema"][0].update(nulable=False),
        "schema.0.nulable",
        "unknown field",
    ),
    ("bad table", lambda d: d.update(table="shop orders"), "table", "pattern"),
    ("no fields", lambda d: d.update(schema=[]), "schema", "at least 1 item"),
    ("missing publisher", lambda d: d.pop("publisher"), "publisher", "Field required"),
    (
        "blank team",
        lambda d: d["publisher"].update(team="  "),
        "publisher.team",
        "at least 1 character",
    ),
    (
        "bad publisher email",
        lambda d: d["publisher"].update(contact_email="nope"),
        "publisher.contact_email",
        "email",
    ),
    (
        "unknown data type",
        lambda d: d["schema"][1].update(data_type="int"),
        "schema.1.data_type",
        "'integer'",
    ),
    (
        "bad field name",
        lambda d: d["schema"][1].update(name="customer id"),
        "schema.1.name",
        "pattern",
    ),
    (
        "duplicate field names",
        lambda d: d["schema"].append({"name": "email", "data_type": "string"}),
        "(document)",
        "duplicate field name(s): email",
    ),
    (
        "primary key nullable",
        lambda d: d["schema"][0].update(nullable=True),
        "schema.0",
        "primary key field 'order_id' must be nullable: false",
    ),
    (
        "foreign key without reference",
        lambda d: d["schema"][1].pop("foreign_key_reference"),
        "schema.1",
        "is_foreign_key but has no foreign_key_reference",
    ),
    (
        "reference without flag",
        lambda d: d["schema"][1].pop("is_foreign_key"),
        "schema.1",
        "set is_foreign_key: true",
    ),
    (
        "malformed reference",
        lambda d: d["schema"][1].update(foreign_key_reference="customers"),
        "schema.1.foreign_key_reference",
        "must be 'contract_name.field_name'",
    ),
    (
        "repeated constraint",
        lambda d: d["schema"][3]["constraints"].append({"type": "min", "value": 1}),
        "schema.3",
        "repeats constraint(s): min",
    ),
    (
        "min not a number",
        lambda d: d["schema"][3]["constraints"].__setitem__(0, {"type": "min", "value": "0"}),
        "schema.3.constraints.0",
        "constraint 'min' needs a number",
    ),
    (
        "max is a boolean",
        lambda d: d["schema"][3]["constraints"].__setitem__(1, {"type": "max", "value": True}),
        "schema.3.constraints.1",
        "constraint 'max' needs a number",
    ),
    (
        "negative length",
        lambda d: d["schema"][2]["constraints"].__setitem__(1, {"type": "max_length", "value": -1}),
        "schema.2.constraints.1",
        "needs a whole number >= 0",
    ),
    (
        "broken regex",
        lambda d: d["schema"][2]["constraints"].__setitem__(0, {"type": "regex", "value": "(["}),
        "schema.2.constraints.0",
        "pattern does not compile",
    ),
    (
        "regex not a string",
        lambda d: d["schema"][2]["constraints"].__setitem__(0, {"type": "regex", "value": 5}),
        "schema.2.constraints.0",
        "needs a pattern string",
    ),
    (
        "empty enum",
        lambda d: d["schema"][4]["constraints"].__setitem__(0, {"type": "enum", "value": []}),
        "schema.4.constraints.0",
        "non-empty list of allowed values",
    ),
    (
        "blank expression",
        lambda d: d["schema"][4]["constraints"].append({"type": "expression", "value": " "}),
        "schema.4.constraints.1",
        "'expression' needs a non-empty string",
    ),
    (
        "unknown constraint type",
        lambda d: d["schema"][4]["constraints"].append({"type": "between", "value": [1, 2]}),
        "schema.4.constraints.1.type",
        "'min'",
    ),
    (
        "unparseable freshness",
        lambda d: d["quality"][0].update(threshold="soon"),
        "quality.0",
        "cannot parse duration 'soon'",
    ),
    (
        "freshness given as a percentage",
        lambda d: d["quality"][0].update(threshold="99%"),
        "quality.0",
        "cannot parse duration '99%'",
    ),
    (
        "percentage over 100",
        lambda d: d["quality"][1].update(threshold="150%"),
        "quality.1",
        "between 0% and 100%",
    ),
    (
        "metric listed twice",
        lambda d: d["quality"].append({"metric_type": "completeness", "threshold": "90%"}),
        "(document)",
        "quality metric(s) listed more than once: completeness",
    ),
    (
        "unknown metric",
        lambda d: d["quality"].append({"metric_type": "latency", "threshold": "1h"}),
        "quality.2.metric_type",
        "'freshness'",
    ),
    (
        "endpoint not http",
        lambda d: d["access"].update(endpoint_url="ftp://data.example.com/x"),
        "access.endpoint_url",
        "must be an http(s) URL with a host",
    ),
    (
        "endpoint without host",
        lambda d: d["access"].update(endpoint_url="http:///x"),
        "access.endpoint_url",
        "must be an http(s) URL with a host",
    ),
    (
        "endpoint port not a number",
        lambda d: d["access"].update(endpoint_url="http://127.0.0.1:abc/x"),
        "access.endpoint_url",
        "is not a valid URL",
    ),
    (
        "endpoint port out of range",
        lambda d: d["access"].update(endpoint_url="http://127.0.0.1:99999"),
        "access.endpoint_url",
        "is not a valid URL",
    ),
    (
        "endpoint with an unclosed IPv6 bracket",
        lambda d: d["access"].update(endpoint_url="http://[::1/x"),
        "access.endpoint_url",
        "is not a valid URL",
    ),
    (
        "lower-case method",
        lambda d: d["access"].update(methods=["get"]),
        "access.methods",
        "unknown HTTP method(s) ['get']; use upper case",
    ),
    (
        "unknown auth type",
        lambda d: d["access"].update(auth_type="saml"),
        "access.auth_type",
        "'none'",
    ),
    (
        "subscriber listed twice",
        lambda d: d["subscribers"].append({"team": "finance"}),
        "(document)",
        "subscriber team(s) listed more than once: finance",
    ),
    (
        "subscriber uses unknown field",
        lambda d: d["subscribers"][0].update(fields_used=["amount", "tax"]),
        "(document)",
        "subscriber 'finance' uses unknown field(s): tax",
    ),
    (
        "subscriber names a field twice",
        lambda d: d["subscribers"][0].update(fields_used=["amount", "amount"]),
        "subscribers.0.fields_used",
        "fields_used lists amount more than once",
    ),
    (
        "bad subscriber email",
        lambda d: d["subscribers"][1].update(contact_email="mk@"),
        "subscribers.1.contact_email",
        "email",
    ),
    ("duplicate tags", lambda d: d.update(tags=["a", "a"]), "(document)", "tags must be unique"),
    ("blank tag", lambda d: d.update(tags=[" "]), "tags.0", "at least 1 character"),
]


@pytest.mark.parametrize(("case", "change", "loc", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_reports_location_and_reason(
    orders_doc: Doc, case: str, change: Callable[[Doc], None], loc: str, message: str
) -> None:
    change(orders_doc)
    errors = _errors(orders_doc)
    assert any(e["loc"] == loc and message in e["message"] for e in errors), errors


def test_every_problem_is_listed_at_once(orders_doc: Doc) -> None:
    orders_doc["name"] = "Bad"
    orders_doc["version"] = "x"
    orders_doc["schema"][1]["data_type"] = "int"
    orders_doc["quality"][0]["threshold"] = "soon"
    locations = {e["loc"] for e in _errors(orders_doc)}
    assert {"name", "version", "schema.1.data_type", "quality.0"} <= locations


def test_several_cross_check_problems_are_joined(orders_doc: Doc) -> None:
    orders_doc["tags"] = ["a", "a"]
    orders_doc["subscribers"].append({"team": "finance"})
    [error] = _errors(orders_doc)
    assert "subscriber team(s) listed more than once" in error["message"]
    assert "tags must be unique" in error["message"]


def test_whitespace_around_teams_and_tags_is_stripped(orders_doc: Doc) -> None:
    orders_doc["publisher"]["team"] = "  checkout "
    orders_doc["tags"] = [" sales "]
    contract = parse_contract(orders_doc)
    assert contract.publisher.team == "checkout"
    assert contract.tags == ["sales"]


def test_enum_of_any_values_and_expressions_are_accepted(orders_doc: Doc) -> None:
    _fields(orders_doc)[4]["constraints"] = [
        {"type": "enum", "value": ["a", 1, None]},
        {"type": "expression", "value": "state <> ''"},
        {"type": "expression", "value": "length(state) < 10"},
    ]
    assert len(parse_contract(orders_doc).schema_fields[4].constraints) == 3


def test_every_data_type_is_known() -> None:
    assert {t.value for t in DataType} == {
        "string", "integer", "float", "decimal", "boolean", "date", "datetime", "timestamp",
        "uuid", "json", "array", "binary", "enum", "full_text",
    }  # fmt: skip


def test_an_enum_field_lists_its_labels(orders_doc: Doc) -> None:
    _fields(orders_doc)[4]["data_type"] = "enum"
    _fields(orders_doc)[4]["constraints"] = []
    [error] = _errors(orders_doc)
    assert "is an enum: list its labels in an 'enum' constraint" in error["message"]
    _fields(orders_doc)[4]["constraints"] = [{"type": "enum", "value": ["G", "PG"]}]
    assert parse_contract(orders_doc).schema_fields[4].data_type is DataType.ENUM


def test_an_expression_reads_only_the_contract_fields(orders_doc: Doc) -> None:
    name = _fields(orders_doc)[4]["name"]
    _fields(orders_doc)[4]["constraints"] = [{"type": "expression", "value": f"{name} <> nope"}]
    [error] = _errors(orders_doc)
    assert "reads unknown field(s): nope" in error["message"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("random() > 0.5", "RAND() is not allowed"),
        ("now() > created_at", "NOW() is not allowed"),
        ("pg_sleep(10) IS NULL", "PG_SLEEP(10) is not allowed"),
        ("state IN (SELECT 1)", "not a sub-query"),
        ("length(state)", "must be true or false for a row"),
        ("state > 1; DROP TABLE x", "single boolean expression"),
        ("state >", "does not parse"),
    ],
)
def test_an_expression_that_is_not_pure_and_boolean_is_refused(
    orders_doc: Doc, value: str, reason: str
) -> None:
    _fields(orders_doc)[4]["constraints"] = [{"type": "expression", "value": value}]
    [error] = _errors(orders_doc)
    assert error["loc"] == "schema.4.constraints.0"
    assert reason in error["message"]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?=a)b", "lookahead/lookbehind"),
        (r"(a)\1", "back-references"),
        (r"\bword", "backspace in PostgreSQL"),
        ("(?P<x>a)", "named groups"),
        ("a(?i:b)", "scoped flags"),
        ("a*+", "possessive"),
    ],
)
def test_a_regex_some_engine_cannot_run_is_refused(
    orders_doc: Doc, pattern: str, reason: str
) -> None:
    _fields(orders_doc)[2]["constraints"][0] = {"type": "regex", "value": pattern}
    [error] = _errors(orders_doc)
    assert error["loc"] == "schema.2.constraints.0"
    assert reason in error["message"]


def test_subscriber_uses_any() -> None:
    contract = ContractDefinition.model_validate(
        {
            "name": "x",
            "version": "1.0.0",
            "publisher": {"team": "t", "owner": "o"},
            "schema": [{"name": "a", "data_type": "string"}, {"name": "b", "data_type": "string"}],
            "subscribers": [{"team": "all"}, {"team": "only_a", "fields_used": ["a"]}],
        }
    )
    everyone, only_a = contract.subscribers
    assert everyone.uses_any(["b"]) and only_a.uses_any({"a", "b"})
    assert not only_a.uses_any(["b"])


def test_number_problems_quick_walk_agrees_with_the_located_one() -> None:
    from datapact_common.contract_schema import _located_number_problems, _number_problems

    for value in (
        {"metadata": {"a": [1, 2.5, "x", None, True, {"b": -(2**63)}]}},
        {"metadata": {"a": [float("nan")], "b": {"c": 2**63}}},
        {"metadata": {"a": [float("inf"), True]}},
    ):
        assert _number_problems(value) == _located_number_problems(value)
    assert _number_problems({"metadata": {"a": [float("nan")]}}) == [
        "metadata.a.0: NaN and Infinity are not numbers here"
    ]
