#!/usr/bin/env python3
"""Every environment variable DataPact reads is in .env.example and docs/configuration.md.

Where the names come from (nothing is listed by hand):

- every pydantic-settings class under ``services/*/src``, ``shared/*/src`` and ``cli/src``
  (found by reading the sources, then imported): each field's validation alias(es), else
  ``env_prefix`` + the field name;
- the ``datapact`` CLI's options (``envvar=``), from its Click command tree;
- ``os.environ``/``os.getenv`` in Python, ``process.env.X`` in the dashboard's tooling and
  ``${X:-...}`` in shell scripts and the compose files (scripts, benchmarks, frontend tools).

Rules:

1. docs/configuration.md names every one of them.
2. .env.example has a line ``NAME=...`` (or ``# NAME=...``) for the first name of every
   settings field and for every CLI variable; it names no variable that nothing reads.
3. .env.example, parsed the way ``make up`` parses it (honcho), builds every settings class
   without an error, and every value it sets equals the code's default (it documents the
   defaults; a deliberate difference belongs in DIFFERENT_FROM_DEFAULT below).

    .venv/bin/python scripts/check-env-example.py          # part of `make lint`
    .venv/bin/python scripts/check-env-example.py --list   # every name and who reads it
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from honcho.environ import parse as parse_env_file
from pydantic_settings import BaseSettings

from datapact_common.settings import env_names

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / ".env.example"
CONFIG_DOC = ROOT / "docs" / "configuration.md"

SOURCE_ROOTS = [
    *sorted((ROOT / "services").glob("*/src")),
    *sorted((ROOT / "shared").glob("*/src")),
    ROOT / "cli" / "src",
]
# Files scanned for variables read outside settings classes (tests excluded: they set
# variables for the processes they start rather than reading configuration).
SCANNED = [
    "scripts/*",
    "services/*/scripts/*.py",
    "benchmarks/*/*",
    "shared/*/src/**/*.py",
    "cli/src/**/*.py",
    "services/*/src/**/*.py",
    "frontend/*.ts",
    "frontend/scripts/*",
    "frontend/e2e/*.mjs",
    "docker-compose*.yml",
    "Makefile",
]
# Set by tools, not configuration.
NOT_CONFIGURATION = {"PYTEST_XDIST_WORKER", "PATH", "HOME", "PWD", "TMPDIR"}
# Settings (by their first name) whose .env.example value is not the code's default.
DIFFERENT_FROM_DEFAULT: dict[str, str] = {}

PY_READ = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|os\.environ\.setdefault)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)
JS_READ = re.compile(r"\b(?:process\.env|env)\.([A-Z][A-Z0-9_]*)\b")
SH_READ = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::?[-=?+][^}]*)?\}")


@dataclass
class Variable:
    name: str
    readers: set[str] = field(default_factory=set)
    primary: bool = False  # must have a line in .env.example


def _settings_classes() -> Iterator[type[BaseSettings]]:
    """Every BaseSettings subclass defined in the packages' sources."""
    for src in SOURCE_ROOTS:
        for path in sorted(src.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            names = [n.name for n in tree.body if isinstance(n, ast.ClassDef) and n.bases]
            if not names or "Settings" not in path.read_text(encoding="utf-8"):
                continue
            module_name = ".".join(path.relative_to(src).with_suffix("").parts)
            module = importlib.import_module(module_name.removesuffix(".__init__"))
            for name in names:
                cls = getattr(module, name, None)
                if isinstance(cls, type) and issubclass(cls, BaseSettings):
                    yield cls


def settings_variables(found: dict[str, Variable]) -> list[type[BaseSettings]]:
    classes = list(dict.fromkeys(_settings_classes()))
    for cls in classes:
        reader = f"{cls.__module__}.{cls.__qualname__}"
        for names in env_names(cls).values():
            for position, env in enumerate(names):
                variable = found.setdefault(env, Variable(env))
                variable.readers.add(reader)
                variable.primary |= position == 0
    return classes


def cli_variables(found: dict[str, Variable]) -> None:
    from datapact_cli.main import app

    def walk(command: Any) -> Iterator[Any]:  # Click's classes (Typer may vendor Click)
        yield from command.params
        for sub in getattr(command, "commands", {}).values():
            yield from walk(sub)

    for param in walk(typer.main.get_command(app)):
        envvars = param.envvar if isinstance(param.envvar, list | tuple) else [param.envvar]
        for env in envvars:
            if env:
                variable = found.setdefault(str(env), Variable(str(env)))
                variable.readers.add("datapact CLI")
                variable.primary = True


def scanned_variables(found: dict[str, Variable]) -> None:
    for pattern in SCANNED:
        for path in sorted(ROOT.glob(pattern)):
            if not path.is_file() or "node_modules" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".py":
                names = {a or b for a, b in PY_READ.findall(text)}
            elif path.suffix in {".ts", ".mjs", ".js"}:
                names = set(JS_READ.findall(text))
            else:
                names = set(SH_READ.findall(text))
            for env in names - NOT_CONFIGURATION:
                variable = found.setdefault(env, Variable(env))
                variable.readers.add(str(path.relative_to(ROOT)))


def env_example_names(text: str) -> set[str]:
    return set(re.findall(r"^[ \t]*#?[ \t]*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def mentioned(name: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def check_values(classes: list[type[BaseSettings]]) -> list[str]:
    """Build every settings class from .env.example alone, read both ways a native process
    reads it: the environment honcho exports (``make up``) and pydantic-settings' own
    ``.env`` parsing. Each must load, and every value set must equal the code's default."""
    problems: list[str] = []
    exported: dict[str, str] = parse_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    saved = dict(os.environ)
    keep = {k: v for k, v in saved.items() if k in NOT_CONFIGURATION}
    try:
        for cls in classes:
            os.environ.clear()
            os.environ.update(keep)
            defaults = cls(_env_file=None)
            ways: list[tuple[str, dict[str, str], Path | None]] = [
                ("as exported by honcho", exported, None),
                ("as read by pydantic-settings", {}, ENV_EXAMPLE),
            ]
            for how, env, env_file in ways:
                os.environ.clear()
                os.environ.update({**keep, **env})
                try:
                    configured = cls(_env_file=env_file)
                except Exception as exc:
                    reason = " ".join(str(exc).split())
                    problems.append(
                        f".env.example {how} does not load "
                        f"{cls.__module__}.{cls.__qualname__}: {reason}"
                    )
                    continue
                for name, names in env_names(cls).items():
                    first = names[0]
                    got, want = getattr(configured, name), getattr(defaults, name)
                    if got != want and first not in DIFFERENT_FROM_DEFAULT:
                        problems.append(
                            f".env.example {how} sets {first} to {got!r}, but the default of "
                            f"{cls.__module__}.{cls.__qualname__}.{name} is {want!r}"
                        )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return problems


def main() -> int:
    found: dict[str, Variable] = {}
    classes = settings_variables(found)
    cli_variables(found)
    scanned_variables(found)

    if "--list" in sys.argv[1:]:
        for name in sorted(found):
            print(name, "primary" if found[name].primary else "-", sorted(found[name].readers))
        return 0

    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    doc = CONFIG_DOC.read_text(encoding="utf-8") if CONFIG_DOC.exists() else ""
    in_example = env_example_names(example)
    problems: list[str] = []
    for name in sorted(found):
        variable = found[name]
        readers = ", ".join(sorted(variable.readers))
        if not mentioned(name, doc):
            problems.append(f"docs/configuration.md does not describe {name} (read by {readers})")
        if variable.primary and name not in in_example:
            problems.append(f".env.example has no {name}= line (read by {readers})")
    for name in sorted(in_example - set(found)):
        problems.append(f".env.example sets {name}, which nothing reads")
    problems += check_values(classes)

    for problem in problems:
        print(f"check-env-example: {problem}", file=sys.stderr)
    if problems:
        return 1
    settings = sum(1 for v in found.values() if v.primary)
    print(
        f"check-env-example: {len(found)} variables ({len(classes)} settings classes, "
        f"{settings} with an .env.example line) documented"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
