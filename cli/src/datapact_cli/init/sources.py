"""Where ``datapact init`` reads a schema from: each source gives one catalogue."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from datapact_cli.errors import CliError, ExitCode
from datapact_common.analysis.models_ast import looks_like_models
from datapact_common.drafting.ddl import MAX_DDL_BYTES, UnknownDialectError, read_ddl
from datapact_common.drafting.models import MAX_MODELS_BYTES, read_models
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
    problems: list[str] = field(default_factory=list)  # what the source could not read


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


def read_source_file(path: Path, option: str, limit: int) -> str:
    """A source file's text, refused before reading when larger than ``limit`` bytes."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise CliError(f"{option}: {path} is not a file", ExitCode.USAGE)
        if size > limit:
            raise CliError(
                f"{option}: {path} is {size} bytes, more than the {limit} bytes read",
                ExitCode.INVALID,
            )
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CliError(f"{option}: {path}: no such file", ExitCode.NOT_FOUND) from exc
    except UnicodeDecodeError as exc:
        raise CliError(f"{option}: {path} is not UTF-8 text", ExitCode.INVALID) from exc
    except OSError as exc:
        raise CliError(f"{option}: cannot read {path}: {exc.strerror}", ExitCode.USAGE) from exc


def from_sql_file(path: Path, *, dialect: str, schema: str | None, tables: list[str]) -> Schema:
    """The catalogue a DDL file leaves behind, read by the PR check's SQL reader."""
    text = read_source_file(path, "--from-sql", MAX_DDL_BYTES)
    try:
        found = read_ddl(text, dialect=dialect, path=path.name)
    except UnknownDialectError as exc:
        raise CliError(f"--dialect: {exc}", ExitCode.USAGE) from exc
    default = found.default_schema
    scope = None if schema in (None, default) else schema
    label = schema or default or "the default schema"
    selection = select_tables(found.tables, tables, schema=scope, schema_label=label)
    problems = [f"{path.name}: {problem}" for problem in found.problems]
    return Schema(str(path), found.dialect, found.tables, selection, problems)


def _model_files(target: str) -> list[Path]:
    """The Python files of a path (a file, or a folder's files) or of a dotted module name
    found on the import path (``myapp.models``), without importing anything."""
    path = Path(target)
    if not path.exists() and target.replace(".", "").replace("_", "").isalnum():
        relative = Path(*target.split("."))
        for root in [Path.cwd(), *(Path(p) for p in sys.path if p)]:
            for candidate in (root / relative.with_suffix(".py"), root / relative):
                if candidate.exists():
                    path = candidate
                    break
            if path.exists():
                break
    if path.is_file():
        return [path]
    if path.is_dir():
        skipped = {".venv", "venv", "node_modules", "__pycache__", ".git"}
        return [p for p in sorted(path.rglob("*.py")) if not skipped.intersection(p.parts)]
    raise CliError(f"--from-models: {target}: no such file, folder or module", ExitCode.NOT_FOUND)


def from_models(target: str, *, schema: str | None, tables: list[str]) -> Schema:
    """The tables of SQLAlchemy models, read as the PR check reads them (never imported)."""
    files: list[tuple[str, str]] = []
    total = 0
    for path in _model_files(target):
        text = read_source_file(path, "--from-models", MAX_MODELS_BYTES)
        total += len(text.encode("utf-8"))
        if total > MAX_MODELS_BYTES:
            raise CliError(
                f"--from-models: {target} holds more than {MAX_MODELS_BYTES} bytes of Python",
                ExitCode.INVALID,
            )
        if looks_like_models(text):
            files.append((str(path), text))
    found = read_models(files)
    scope = None if schema in (None, "public") else schema
    selection = select_tables(found.tables, tables, schema=scope, schema_label=schema or "public")
    return Schema(target, "postgres", found.tables, selection, found.problems)
