"""Semantic versions and the bump between two of them."""

from __future__ import annotations

import pytest

from datapact_common.exceptions import SemverError
from datapact_common.semver import Bump, SemVer, bump_between


def test_parse_and_print() -> None:
    version = SemVer.parse("1.20.3")
    assert (version.major, version.minor, version.patch) == (1, 20, 3)
    assert str(version) == "1.20.3"
    assert SemVer.parse(" 0.0.1 ") == SemVer(0, 0, 1)


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0-rc1", "01.0.0", "1.0.0.0", "", "a.b.c"])
def test_non_semver_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(SemverError, match=r"not semantic MAJOR.MINOR.PATCH \(e.g. 1.2.0\)"):
        SemVer.parse(text)


def test_versions_order_numerically() -> None:
    assert SemVer.parse("1.10.0") > SemVer.parse("1.9.9")
    assert SemVer.parse("2.0.0") > SemVer.parse("1.99.99")


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("1.2.3", "1.2.3", Bump.NONE),
        ("1.2.3", "1.2.4", Bump.PATCH),
        ("1.2.3", "1.3.0", Bump.MINOR),
        ("1.2.3", "1.3.7", Bump.MINOR),
        ("1.2.3", "2.0.0", Bump.MAJOR),
        ("1.2.3", "3.1.4", Bump.MAJOR),
        ("1.2.3", "1.2.2", None),
        ("1.2.3", "0.9.9", None),
    ],
)
def test_bump_between(old: str, new: str, bump: Bump | None) -> None:
    assert bump_between(old, new) == bump


def test_bumps_are_ordered_and_labelled() -> None:
    assert Bump.NONE < Bump.PATCH < Bump.MINOR < Bump.MAJOR
    assert [b.label for b in Bump] == ["none", "patch", "minor", "major"]


@pytest.mark.parametrize(
    ("bump", "expected"),
    [(Bump.PATCH, "1.2.4"), (Bump.MINOR, "1.3.0"), (Bump.MAJOR, "2.0.0"), (Bump.NONE, "1.2.3")],
)
def test_bumped(bump: Bump, expected: str) -> None:
    assert str(SemVer.parse("1.2.3").bumped(bump)) == expected
