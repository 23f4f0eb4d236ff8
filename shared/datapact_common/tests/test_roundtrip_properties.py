"""Property-based round-trips: any valid contract survives YAML, JSON and ODCS unchanged."""

from __future__ import annotations

import json
import string
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datapact_common.contract_schema import (
    AuthType,
    ConstraintType,
    ContractDefinition,
    ContractStatus,
    DataType,
    MetricType,
)
from datapact_common.diff import diff_contracts
from datapact_common.documents import (
    contract_to_yaml,
    contracts_to_yaml,
    load_contracts,
    parse_contract,
)
from datapact_common.odcs import from_odcs, package_schema, to_odcs, vendored_schema
from datapact_common.yaml_io import dump_yaml, load_yaml

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_LOWER = string.ascii_lowercase
contract_names = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(_LOWER),
    st.text(alphabet=_LOWER + string.digits + "_", max_size=20),
)
field_names = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(string.ascii_letters + "_"),
    st.text(alphabet=string.ascii_letters + string.digits + "_", max_size=15),
)
versions = st.tuples(*(st.integers(0, 999),) * 3).map(lambda v: ".".join(map(str, v)))
# Any text a person may type, including line breaks, quotes, YAML-looking values and unicode.
texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["2022-10-03", "yes", "null", "1.0", "~", "- a", "a: b", "#x", " lead"]),
)
# Names refuse invisible, bidi and line-breaking characters (datapact_common.names).
short_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s.strip())
# Descriptions reach the Mermaid ERD: no '%%' directive or comment.
descriptions = texts.filter(lambda t: "%%" not in t)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
numbers = st.one_of(
    st.integers(-10_000, 10_000), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
)


def _constraint(kind: ConstraintType) -> st.SearchStrategy[dict[str, Any]]:
    values: dict[ConstraintType, st.SearchStrategy[Any]] = {
        ConstraintType.MIN: numbers,
        ConstraintType.MAX: numbers,
        ConstraintType.MIN_LENGTH: st.integers(0, 500),
        ConstraintType.MAX_LENGTH: st.integers(0, 500),
        ConstraintType.REGEX: st.sampled_from([r"^[A-Z]{2}\d+$", r".+@.+", r"\w*", "a|b"]),
        ConstraintType.ENUM: st.lists(json_scalars, min_size=1, max_size=4),
        # Pure boolean expressions over no column (a column must be a field of the contract).
        ConstraintType.EXPRESSION: st.sampled_from(
            ["TRUE", "1 < 2", "'a' <> 'b'", "NOT FALSE", "2 BETWEEN 1 AND 3", "1 IN (1, 2)"]
        ),
    }
    return st.fixed_dictionaries(
        {"type": st.just(kind.value), "value": values[kind]},
        optional={"message": st.one_of(st.none(), texts)},
    )


constraint_lists = st.lists(st.sampled_from(list(ConstraintType)), max_size=4, unique=True).flatmap(
    lambda kinds: st.tuples(*(_constraint(k) for k in kinds)).map(list)
)


@st.composite
def fields(draw: st.DrawFn, name: str) -> dict[str, Any]:
    primary = draw(st.booleans())
    reference = draw(st.one_of(st.none(), st.tuples(contract_names, field_names)))
    field: dict[str, Any] = {
        "name": name,
        "data_type": draw(st.sampled_from(list(DataType))).value,
        "nullable": False if primary else draw(st.booleans()),
        "is_primary_key": primary,
        "is_pii": draw(st.booleans()),
        "unique": draw(st.booleans()),
        "constraints": draw(constraint_lists),
    }
    if field["data_type"] == "enum" and not any(c["type"] == "enum" for c in field["constraints"]):
        field["constraints"].append(draw(_constraint(ConstraintType.ENUM)))  # an enum lists labels
    if reference:
        field |= {"is_foreign_key": True, "foreign_key_reference": ".".join(reference)}
    if draw(st.booleans()):
        field["description"] = draw(descriptions)
    if draw(st.booleans()):
        field["example_value"] = draw(json_values)
    for key in ("physical_type", "physical_name", "classification"):
        if draw(st.booleans()):
            field[key] = draw(short_names)
    return field


durations = st.one_of(
    st.builds(
        "{} {}".format,
        st.integers(1, 500),
        st.sampled_from(["seconds", "minutes", "hours", "days", "weeks", "min", "h", "d"]),
    ),
    st.builds("{}h".format, st.decimals(min_value="0.1", max_value="48", places=1)),
    st.builds("PT{}M".format, st.integers(1, 600)),
    st.builds("P{}D".format, st.integers(1, 30)),
)
percentages = st.builds("{}%".format, st.decimals(min_value=0, max_value=100, places=2).map(str))
row_counts = st.integers(0, 10**9).flatmap(
    lambda low: st.one_of(
        st.integers(low, 10**10).map(lambda high: f"{low}..{high}"),
        st.just(f"{low}.."),
        st.just(f"..{low}"),
    )
)
THRESHOLDS = {MetricType.FRESHNESS: durations, MetricType.VOLUME: row_counts}


@st.composite
def quality(draw: st.DrawFn) -> list[dict[str, Any]]:
    metrics = draw(st.lists(st.sampled_from(list(MetricType)), unique=True, max_size=5))
    result = []
    for metric in metrics:
        item: dict[str, Any] = {
            "metric_type": metric.value,
            "threshold": draw(THRESHOLDS.get(metric, percentages)),
            "alert_on_breach": draw(st.booleans()),
        }
        if draw(st.booleans()):
            item["measurement_method"] = draw(texts)
        result.append(item)
    return result


access = st.fixed_dictionaries(
    {
        "endpoint_url": st.builds(
            "https://{}.example.com/{}".format, contract_names, contract_names
        ),
        "methods": st.lists(st.sampled_from(["GET", "POST", "HEAD"]), max_size=3, unique=True),
        "auth_type": st.sampled_from([a.value for a in AuthType]),
        "required_scopes": st.lists(short_names, max_size=2),
        "rate_limit": st.one_of(st.none(), st.just("100/minute")),
    }
)


@st.composite
def contracts(draw: st.DrawFn) -> ContractDefinition:
    names = draw(st.lists(field_names, min_size=1, max_size=6, unique=True))
    schema = [draw(fields(n)) for n in names]
    teams = draw(st.lists(short_names, max_size=3, unique=True))
    subscribers = [
        {
            "team": team,
            "use_case": draw(st.one_of(st.none(), texts)),
            "fields_used": draw(st.lists(st.sampled_from(names), unique=True, max_size=3)),
            "contact_email": draw(st.one_of(st.none(), st.just(f"team{i}@example.com"))),
        }
        for i, team in enumerate(teams)
    ]
    document: dict[str, Any] = {
        "name": draw(contract_names),
        "version": draw(versions),
        "status": draw(st.sampled_from([s.value for s in ContractStatus])),
        "publisher": {
            "team": draw(short_names),
            "owner": draw(short_names),
            "repository_url": draw(st.one_of(st.none(), st.just("https://git.example.com/r"))),
            "contact_email": draw(st.one_of(st.none(), st.just("owner@example.com"))),
        },
        "schema": schema,
        "quality": draw(quality()),
        "subscribers": subscribers,
        "tags": draw(st.lists(short_names, max_size=4, unique=True)),
        "metadata": draw(st.dictionaries(st.text(max_size=10), json_values, max_size=3)),
    }
    if draw(st.booleans()):
        document["description"] = draw(descriptions)
    if draw(st.booleans()):
        document["table"] = draw(
            st.one_of(field_names, st.builds("{}.{}".format, field_names, field_names))
        )
    if draw(st.booleans()):
        document["access"] = draw(access)
    return ContractDefinition.model_validate(document)


@SETTINGS
@given(contracts())
def test_yaml_round_trip_is_lossless(contract: ContractDefinition) -> None:
    back = load_contracts(contract_to_yaml(contract))
    assert [c.model_dump() for c in back] == [contract.model_dump()]
    assert back == [contract]
    full = dump_yaml(contract.to_document())
    assert parse_contract(load_yaml(full)) == contract


@SETTINGS
@given(st.lists(contracts(), min_size=1, max_size=3))
def test_yaml_stream_round_trip_is_lossless(items: list[ContractDefinition]) -> None:
    assert load_contracts(contracts_to_yaml(items)) == items


@SETTINGS
@given(contracts())
def test_json_round_trip_is_lossless(contract: ContractDefinition) -> None:
    text = json.dumps(contract.to_document())
    assert parse_contract(json.loads(text)) == contract
    assert ContractDefinition.model_validate_json(contract.model_dump_json(by_alias=True)) == (
        contract
    )


@SETTINGS
@given(contracts())
def test_odcs_round_trip_is_lossless_and_valid(contract: ContractDefinition) -> None:
    for version, schema in (("v3.1.0", vendored_schema()), ("v3.2.0", package_schema())):
        document = to_odcs(contract, api_version=version)
        errors = list(jsonschema.Draft201909Validator(schema).iter_errors(document))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
        assert from_odcs(document) == [contract]
        # ...and through the YAML text a user would save and edit.
        assert from_odcs(load_yaml(dump_yaml(document))) == [contract]


@SETTINGS
@given(contracts())
def test_a_contract_has_no_changes_against_itself(contract: ContractDefinition) -> None:
    report = diff_contracts(contract, contract)
    assert report.changes == []
    assert report.required_bump == "none"
    assert report.bump_ok
