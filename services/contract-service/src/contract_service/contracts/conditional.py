"""Entity tags of contract bodies and conditional requests (docs/interfaces.md, "Preconditions").

A body's tag is ``"<version>~<digest>"``: the version guards the document for ``If-Match``
(a subscription or a compliance result does not make an edit stale), the digest of the exact
bytes makes ``If-None-Match`` answer 304 only when the reader would get the same body again.
Semver has no ``~``, so the version part is always recoverable.
"""

from __future__ import annotations

from hashlib import blake2b

from fastapi import Response

__all__ = ["body_tag", "matches_version", "not_modified", "read_response"]

_CACHE_CONTROL = "private, no-cache"  # a body depends on who reads it; revalidate every time


def body_tag(version: str, body: bytes) -> str:
    return f'"{version}~{blake2b(body, digest_size=8).hexdigest()}"'


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/").strip('"')


def _tags(header: str) -> list[str]:
    return [_opaque(tag) for tag in header.split(",") if tag.strip()]


def matches_version(if_match: str, version: str) -> tuple[bool, str]:
    """Whether ``If-Match`` names ``version`` (or ``*``), and the version it names first."""
    versions = [tag.split("~", 1)[0] for tag in _tags(if_match)]
    matched = "*" in versions or version in versions
    return matched, versions[0] if versions else if_match


def not_modified(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, ``*`` matches any current body."""
    if if_none_match is None:
        return False
    tags = _tags(if_none_match)
    return "*" in tags or _opaque(tag) in tags


def read_response(
    body: bytes, version: str, if_none_match: str | None, headers: dict[str, str] | None = None
) -> Response:
    """200 with the body and its tag, or 304 with the tag alone when the reader has it."""
    tag = body_tag(version, body)
    all_headers = {**(headers or {}), "ETag": tag, "Cache-Control": _CACHE_CONTROL}
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, headers=all_headers, media_type="application/json")
