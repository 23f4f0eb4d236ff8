"""Where ``datapact init`` reads a schema from: each source gives one catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from datapact_cli.errors import CliError, ExitCode
from datapact_common.drafting.select import Selection, select_tables
from datapact_common.engines.base import EngineError, TableInfo
from datapact_common.engines.registry import UnsupportedDatabaseError, open_engine


@dataclass
class Schema:
    """A source's tables and which of them to draft."""

    source: str  # shown in each file's header: no password
    dialect: str  # the sqlglot dialect its CHECK constraints are written in
    tables: dict[str, TableInfo]
    selection: Selection = field(default_factory=Selection)


def shown_url(url: str) -> str:
    """The URL without its password."""
    if url.startswith("duckdb://"):
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "the database"


def from_database(url: str, *, schema: str | None, tables: list[str], timeout: float) -> Schema:
    """The live catalogue (with comments and CHECK constraints) of ``url``."""
    shown = shown_url(url)
    try:
        engine = open_engine(url, pool_size=1, timeout_seconds=timeout, app_name="datapact init")
    except UnsupportedDatabaseError as exc:
        raise CliError(f"--from-db: {exc}", ExitCode.USAGE) from exc
    try:
        default = engine.current_schema()
        scope = None if schema in (None, default) else schema
        catalogue = engine.catalogue([scope] if scope else [], details=True)
    except EngineError as exc:
        code = ExitCode.SERVER if exc.unavailable else ExitCode.INVALID
        raise CliError(f"cannot read the database {shown}: {exc}", code) from exc
    finally:
        engine.close()
    selection = select_tables(catalogue, tables, schema=scope, schema_label=schema or default)
    return Schema(shown, engine.dialect, catalogue, selection)
