"""YAML/JSON loading and dumping: round-trips, streams, dates that stay strings, clear errors."""

from __future__ import annotations

import pytest

from datapact_common.contract_schema import ContractDefinition
from datapact_common.documents import contract_to_yaml, contracts_to_yaml, load_contracts
from datapact_common.exceptions import (
    ContractValidationError,
    DocumentParseError,
    PayloadTooLargeError,
)
from datapact_common.yaml_io import (
    MAX_DOCUMENT_VALUES,
    dump_yaml,
    dump_yaml_documents,
    load_yaml,
    load_yaml_documents,
    parse_document,
)


def test_unquoted_dates_and_timestamps_stay_strings() -> None:
    doc = load_yaml("day: 2022-10-03\nwhen: 2022-05-12T09:30:10-08:00\nlist: [2025-01-28]\n")
    assert doc == {
        "day": "2022-10-03",
        "when": "2022-05-12T09:30:10-08:00",
        "list": ["2025-01-28"],
    }


def test_other_scalars_keep_their_yaml_types() -> None:
    doc = load_yaml("i: 3\nf: 1.5\nb: true\nn: null\ns: text\n")
    assert doc == {"i": 3, "f": 1.5, "b": True, "n": None, "s": "text"}


@pytest.mark.parametrize(
    "value",
    [
        "2022-10-03",
        "yes",
        "null",
        "1.0",
        "0x1F",
        "~",
        "- item",
        "key: value",
        "# not a comment",
        " leading space",
        "trailing space ",
        "line one\nline two\n",
        "ends without newline\nsecond",
        "carriage\r\nreturn",
        "next line\x85char",
        "unicode line\u2028separator",
        "emoji 🚀 and ümlauts",
        "",
    ],
)
def test_strings_round_trip_exactly(value: str) -> None:
    text = dump_yaml({"value": value, value: "as key"})
    assert load_yaml(text) == {"value": value, value: "as key"}


def test_dump_keeps_key_order_and_writes_blocks() -> None:
    text = dump_yaml({"zeta": 1, "alpha": {"list": [1, 2]}, "text": "a\nb\n"})
    assert text.index("zeta") < text.index("alpha")
    assert "  list:\n    - 1\n" in text
    assert "text: |\n  a\n  b\n" in text


def test_multi_document_stream_round_trip() -> None:
    docs = [{"a": 1}, {"b": "2022-10-03"}, {"c": ["x"]}]
    text = dump_yaml_documents(docs)
    assert text.count("---") == 3
    assert load_yaml_documents(text) == docs


def test_stream_skips_empty_documents() -> None:
    assert load_yaml_documents("---\n---\na: 1\n---\n") == [{"a": 1}]


def test_invalid_yaml_error_names_line_and_column() -> None:
    with pytest.raises(DocumentParseError) as caught:
        load_yaml("name: orders\nschema: [unclosed\n")
    assert "invalid YAML at line 3" in caught.value.detail


def test_invalid_yaml_in_a_stream_is_reported() -> None:
    with pytest.raises(DocumentParseError, match="invalid YAML"):
        load_yaml_documents("a: 1\n---\nb: : :\n")


def test_parse_document_json_and_yaml() -> None:
    assert parse_document(b'{"a": [1, 2]}', "application/json; charset=utf-8") == {"a": [1, 2]}
    assert parse_document("a: 2022-10-03\n", "application/yaml") == {"a": "2022-10-03"}
    # YAML is a superset of JSON: a JSON body sent as YAML still parses.
    assert parse_document(b'{"a": 1}', "application/yaml") == {"a": 1}
    assert parse_document(b'{"a": 1}', "application/vnd.api+json") == {"a": 1}


def test_parse_document_reports_bad_json_position() -> None:
    with pytest.raises(DocumentParseError, match=r"invalid JSON at line 1, column 7"):
        parse_document(b'{"a": }', "application/json")


def test_duplicate_keys_are_refused_with_their_line() -> None:
    with pytest.raises(DocumentParseError) as caught:
        load_yaml("name: orders\nversion: 1.0.0\nname: invoices\n")
    assert "invalid YAML at line 3, column 1: duplicate key 'name'" in caught.value.detail
    with pytest.raises(DocumentParseError, match="duplicate key 'a'"):
        load_yaml_documents("x: 1\n---\nouter:\n  a: 1\n  a: 2\n")
    with pytest.raises(DocumentParseError, match="invalid JSON: duplicate key 'name'"):
        parse_document(b'{"name": "a", "name": "b"}', "application/json")


def test_a_merge_key_may_still_be_overridden() -> None:
    doc = load_yaml("base: &b {a: 1, b: 2}\nchild:\n  <<: *b\n  b: 3\n")
    assert doc["child"] == {"a": 1, "b": 3}


def test_a_byte_order_mark_is_not_part_of_the_document() -> None:
    assert parse_document(b'\xef\xbb\xbf{"a": 1}', "application/json") == {"a": 1}
    assert parse_document(b"\xef\xbb\xbfa: 1\n", "application/yaml") == {"a": 1}
    assert parse_document('\ufeff{"a": 1}', "application/json") == {"a": 1}


def test_parse_document_refuses_non_utf8() -> None:
    with pytest.raises(DocumentParseError, match="not UTF-8"):
        parse_document(b"name: \xff\xfe", "application/yaml")


def test_contract_yaml_round_trip(orders: ContractDefinition) -> None:
    text = contract_to_yaml(orders)
    assert load_contracts(text) == [orders]
    # Defaults are left out of the file a person edits...
    assert "is_pii: false" not in text
    # ...but a full dump round-trips as well.
    assert load_contracts(contract_to_yaml(orders, exclude_defaults=False)) == [orders]


def test_contract_stream_round_trip(orders: ContractDefinition) -> None:
    other = orders.model_copy(update={"name": "returns"})
    assert load_contracts(contracts_to_yaml([orders, other])) == [orders, other]


def test_load_contracts_refuses_an_empty_file() -> None:
    with pytest.raises(ContractValidationError, match="no contract document"):
        load_contracts("# only a comment\n")


def test_load_contracts_names_the_problem_in_a_stream(orders: ContractDefinition) -> None:
    text = contract_to_yaml(orders) + "---\nname: Bad Name\n"
    with pytest.raises(ContractValidationError) as caught:
        load_contracts(text)
    locations = {e["loc"] for e in caught.value.errors}
    assert caught.value.detail.startswith("document 2 of 2:")
    assert {"name", "version", "publisher", "schema"} <= locations


def test_load_contracts_says_which_document_of_a_stream_is_wrong(
    orders: ContractDefinition,
) -> None:
    text = contract_to_yaml(orders) + "---\n" + contract_to_yaml(orders).replace("1.2.0", "v1")
    with pytest.raises(ContractValidationError) as caught:
        load_contracts(text)
    assert caught.value.detail.startswith("document 2 of 2: invalid contract: version")
    assert caught.value.errors[0]["document"] == 2


# -- bounds, enforced while parsing ----------------------------------------------------------
_BOMB = "\n".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
)


@pytest.mark.parametrize(
    ("text", "media"),
    [
        ("k:\n" + "- a\n" * (MAX_DOCUMENT_VALUES + 1), "application/yaml"),
        ("[" + "1," * MAX_DOCUMENT_VALUES + "1]", "application/yaml"),
        ("[" + "1," * MAX_DOCUMENT_VALUES + "1]", "application/json"),
        ("".join(f"k{i}: !!str v\n" for i in range(MAX_DOCUMENT_VALUES + 1)), "application/yaml"),
        (_BOMB, "application/yaml"),
    ],
    ids=["block-list", "flow-list", "json-list", "tagged-mapping", "alias-bomb"],
)
def test_more_values_than_the_bound_are_refused(text: str, media: str) -> None:
    with pytest.raises(PayloadTooLargeError, match="more than 100000 values"):
        parse_document(text, media)


def test_a_document_at_the_bound_is_read() -> None:
    text = "k:\n" + "- a\n" * (MAX_DOCUMENT_VALUES - 2)
    assert len(load_yaml(text)["k"]) == MAX_DOCUMENT_VALUES - 2


@pytest.mark.parametrize(
    "text",
    ["a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "self: &m {again: *m}"],
    ids=["deep", "alias-cycle"],
)
def test_deeper_than_the_bound_is_refused(text: str) -> None:
    with pytest.raises(ContractValidationError, match="nested deeper than 32 levels"):
        load_yaml(text)


def test_the_stream_names_the_document_over_the_bound() -> None:
    with pytest.raises(PayloadTooLargeError, match=r"^document 2: document too large"):
        load_yaml_documents("a: 1\n---\n" + _BOMB)


@pytest.mark.parametrize(
    ("text", "media"),
    [
        ("n: " + "9" * 5000, "application/yaml"),
        ("n: 0x" + "f" * 5000, "application/yaml"),
        ('{"n": ' + "9" * 5000 + "}", "application/json"),
    ],
)
def test_an_over_long_integer_is_a_parse_error_not_a_crash(text: str, media: str) -> None:
    with pytest.raises(DocumentParseError, match="integer longer than 100 characters"):
        parse_document(text, media)


def test_64_bit_integers_in_any_base_are_read() -> None:
    text = f"d: {2**63 - 1}\nb: 0b{'1' * 64}\nh: 0x{'f' * 16}\n"
    assert load_yaml(text) == {"d": 2**63 - 1, "b": 2**64 - 1, "h": 2**64 - 1}
