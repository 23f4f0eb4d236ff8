"""Fixtures of `datapact init`: real databases holding a schema it has never seen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from datapact_common.yaml_io import load_yaml_documents
from datapact_testing import postgres as pg

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def library_url() -> Iterator[str]:
    """The library schema on PostgreSQL (tests only read it)."""
    name = pg.test_database_name("test_cli_init")
    pg.create_database(name)
    with psycopg.connect(pg.sync_dsn(name), autocommit=True) as connection:
        connection.execute((FIXTURES / "postgres_schema.sql").read_text(encoding="utf-8").encode())
    yield pg.sync_dsn(name)
    pg.drop_database(name)


def read_document(path: Path) -> dict[str, Any]:
    documents = load_yaml_documents(path.read_text(encoding="utf-8"))
    document: dict[str, Any] = documents[0]
    return document


@pytest.fixture(scope="session")
def document() -> Any:
    """``document(path)``: a written contract file as its document."""
    return read_document
