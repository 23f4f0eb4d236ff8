"""Names that identify someone: invisible, bidi and line-breaking characters are refused."""

from __future__ import annotations

import re

import pytest

from datapact_common.names import check_name, name_problem


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("comm\u200berce", "U+200B"),
        ("commerce\u202e", "U+202E"),
        ("\u2066x\u2069", "U+2066"),
        ("a\nb", "U+000A"),
        ("a\tb", "U+0009"),
        ("a\u2028b", "U+2028"),
        ("\ufeffbom", "U+FEFF"),
        ("soft\u00adhyphen", "U+00AD"),
    ],
)
def test_refused_characters_are_named(name: str, code: str) -> None:
    problem = name_problem(name)
    assert problem is not None and code in problem
    with pytest.raises(ValueError, match=re.escape(code)):
        check_name(name)


@pytest.mark.parametrize(
    "name", ["commerce", "data-platform/eu", "Équipe Données", "日本チーム", "a b"]
)
def test_ordinary_names_pass(name: str) -> None:
    assert check_name(name) == name
