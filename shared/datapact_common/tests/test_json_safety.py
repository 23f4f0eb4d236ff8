"""The one check that a parsed document can be stored as JSON exactly."""

from __future__ import annotations

from typing import Any

import pytest

from datapact_common.exceptions import InvalidRequestError, PayloadTooLargeError
from datapact_common.json_safety import MAX_DEPTH, MAX_VALUES, ensure_json_safe


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    ("document", "loc", "kind"),
    [
        ({"name": "a\x00b"}, "name", "string_nul"),
        ({"a\x00": 1}, "(document)", "string_nul"),
        ({"text": "\ud800"}, "text", "string_unicode"),
        ({"n": 2**63}, "n", "int_range"),
        ({"x": [1.0, float("nan")]}, "x.1", "float_finite"),
        ({1: "one"}, "(document)", "key_type"),
        ({"when": object()}, "when", "json_type"),
    ],
)
def test_unstorable_values_are_422_naming_where(document: Any, loc: str, kind: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        ensure_json_safe(document)
    assert raised.value.status_code == 422
    assert raised.value.errors[0]["loc"] == loc and raised.value.errors[0]["type"] == kind


def test_the_depth_limit_is_the_document_bounds_one() -> None:
    ensure_json_safe(_nested(MAX_DEPTH))
    with pytest.raises(InvalidRequestError, match=f"nested deeper than {MAX_DEPTH} levels"):
        ensure_json_safe(_nested(MAX_DEPTH + 1))


def test_too_many_values_are_413() -> None:
    with pytest.raises(PayloadTooLargeError):
        ensure_json_safe([0] * MAX_VALUES)


def test_a_root_prefixes_every_location() -> None:
    with pytest.raises(InvalidRequestError) as raised:
        ensure_json_safe({"x": "\x00"}, root="details")
    assert raised.value.errors[0]["loc"] == "details.x"


def test_storable_documents_pass() -> None:
    ensure_json_safe({"a": [1, 2.5, True, None, "text", {"b": -(2**63)}]})


def test_the_quick_walk_and_the_located_one_agree() -> None:
    """Storable values the quick walk does not take on sight (non-ASCII text, subclasses of
    str and int, tuples) are decided by the located walk, as before."""
    import enum

    from datapact_common.json_safety import _is_json_safe

    class Level(enum.IntEnum):
        ONE = 1

    class Text(str):
        pass

    ensure_json_safe({"café": ["naïve ☃ 😀", Level.ONE, Text("x")]})
    assert _is_json_safe({"café": ["naïve ☃ 😀", 2**63 - 1]})
    assert not _is_json_safe({"a": [Level.ONE]})
    for bad in ({"a": "\ud800"}, {"\ud800": 1}, {"a": [float("nan")]}, {"a": 2**63}, {1: 2}):
        assert not _is_json_safe(bad)
        with pytest.raises(InvalidRequestError):
            ensure_json_safe(bad)


def test_the_quick_walk_answers_as_the_located_one_on_any_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever the document, the quick walk passes it exactly when the located walk finds
    nothing to raise (small limits, so that documents past them come up)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from datapact_common import json_safety

    monkeypatch.setattr(json_safety, "MAX_DEPTH", 3)
    monkeypatch.setattr(json_safety, "MAX_VALUES", 25)
    texts = st.text(max_size=3) | st.sampled_from(["a\x00", "\ud800", "é", "☃"])
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**64), max_value=2**64)
        | st.floats()
        | texts
    )
    documents = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=6)
            | st.dictionaries(texts | st.integers(0, 2), inner, max_size=6)
        ),
        max_leaves=40,
    )

    def located_passes(document: Any) -> bool:
        try:
            json_safety._raise_first_problem(document, "")
        except (InvalidRequestError, PayloadTooLargeError):
            return False
        return True

    @settings(max_examples=600, deadline=None)
    @given(documents)
    def check(document: Any) -> None:
        assert json_safety._is_json_safe(document) == located_passes(document)

    check()
