"""Bodies shared by several domains."""

from __future__ import annotations

from pydantic import BaseModel


class Issue(BaseModel):
    """One validation error or warning, located in the document."""

    loc: str
    message: str
    type: str


class ErrorBody(BaseModel):
    detail: str
    errors: list[Issue] | None = None
