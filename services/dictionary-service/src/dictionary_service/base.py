"""Declarative base with the shared naming convention."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from datapact_common.db import make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()
