"""Semantic versions and the bumps between them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from datapact_common.exceptions import SemverError

SEMVER_PATTERN = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$"
_SEMVER_RE = re.compile(SEMVER_PATTERN)


class Bump(IntEnum):
    """How much a version moved; ordered so that a larger bump compares greater."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class SemVer:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> SemVer:
        match = _SEMVER_RE.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise SemverError(f"version {text!r} is not semantic MAJOR.MINOR.PATCH (e.g. 1.2.0)")
        return cls(*(int(part) for part in match.groups()))

    def bumped(self, bump: Bump) -> SemVer:
        if bump is Bump.MAJOR:
            return SemVer(self.major + 1, 0, 0)
        if bump is Bump.MINOR:
            return SemVer(self.major, self.minor + 1, 0)
        if bump is Bump.PATCH:
            return SemVer(self.major, self.minor, self.patch + 1)
        return self

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def bump_between(old: str | SemVer, new: str | SemVer) -> Bump | None:
    """The bump from ``old`` to ``new``; ``None`` when ``new`` is lower than ``old``."""
    a = old if isinstance(old, SemVer) else SemVer.parse(old)
    b = new if isinstance(new, SemVer) else SemVer.parse(new)
    if b < a:
        return None
    if b.major != a.major:
        return Bump.MAJOR
    if b.minor != a.minor:
        return Bump.MINOR
    if b.patch != a.patch:
        return Bump.PATCH
    return Bump.NONE
