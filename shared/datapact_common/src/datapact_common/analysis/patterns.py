"""Which changed files are schema files and which are contract files (configurable patterns).

A pattern ending in ``/`` is a directory anywhere in the path (``migrations/``); a pattern
with ``*``/``?``/``[`` is a glob matched from the right (``*.contract.yaml``); any other
pattern is a file name or path tail (``schema.sql`` matches ``db/schema.sql``). Only
``.py``/``.sql`` schema files and ``.yaml``/``.yml`` contract files can be read.
"""

from __future__ import annotations

from pathlib import PurePosixPath

DEFAULT_SCHEMA_PATTERNS = ["alembic/versions/", "migrations/", "schema.sql", "models.py", "models/"]
DEFAULT_CONTRACT_PATTERNS = ["contract.yaml", "contract.yml", "*.contract.yaml", "*.contract.yml"]
SCHEMA_SUFFIXES = (".py", ".sql")
CONTRACT_SUFFIXES = (".yaml", ".yml")


def matches(path: str, pattern: str) -> bool:
    if any(ch in pattern for ch in "*?["):
        return PurePosixPath(path).match(pattern)
    if pattern.endswith("/"):
        return f"/{pattern.strip('/')}/" in f"/{path}"
    return path == pattern or path.endswith(f"/{pattern}")


def is_schema_file(path: str, patterns: list[str]) -> bool:
    return path.lower().endswith(SCHEMA_SUFFIXES) and any(matches(path, p) for p in patterns)


def is_contract_file(path: str, patterns: list[str]) -> bool:
    return path.lower().endswith(CONTRACT_SUFFIXES) and any(matches(path, p) for p in patterns)
