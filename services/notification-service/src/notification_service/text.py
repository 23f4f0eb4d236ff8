"""Text of requests and recipients: PostgreSQL text cannot hold NUL characters; one spelling
of an e-mail address."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain a NUL character")
    return value


NoNul = Annotated[str, AfterValidator(_no_nul)]


def normalize_email(address: str) -> str:
    """The one spelling of an address (dedup, rate limits and lookups compare it)."""
    return address.strip().lower()
