"""Text types for request input: PostgreSQL text cannot hold NUL characters."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain a NUL character")
    return value


NoNul = Annotated[str, AfterValidator(_no_nul)]
