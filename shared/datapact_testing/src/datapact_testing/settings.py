"""Settings tests: the environment names of a settings class, read on a clean slate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

from pydantic import AliasChoices, AliasPath
from pydantic_settings import BaseSettings


class MonkeyPatch(Protocol):
    """What is used of pytest's ``monkeypatch`` fixture."""

    def delenv(self, name: str, raising: bool = ...) -> None: ...

    def chdir(self, path: str | os.PathLike[str]) -> None: ...


def env_names(cls: type[BaseSettings]) -> dict[str, list[str]]:
    """Each field's environment names, in the order pydantic-settings tries them
    (upper-case: the services' settings are case-insensitive)."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    names: dict[str, list[str]] = {}
    for field_name, info in cls.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, str):
            found = [alias]
        elif isinstance(alias, AliasChoices):
            found = [c if isinstance(c, str) else str(c.path[0]) for c in alias.choices]
        elif isinstance(alias, AliasPath):
            found = [str(alias.path[0])]
        else:
            found = [prefix + field_name]
        names[field_name] = list(dict.fromkeys(n.upper() for n in found))
    return names


def isolate(monkeypatch: MonkeyPatch, directory: Path, cls: type[BaseSettings]) -> None:
    """No variable any field of ``cls`` reads is set, and the working directory (where the
    ``.env`` file is looked up) is ``directory``."""
    wanted = {name for names in env_names(cls).values() for name in names}
    for name in list(os.environ):
        if name.upper() in wanted:
            monkeypatch.delenv(name)
    monkeypatch.chdir(directory)


_START_ONCE = """
import asyncio, importlib, logging, sys

module, _, attr = sys.argv[1].partition(":")
app = getattr(importlib.import_module(module), attr)


async def start_and_stop() -> None:
    async with app.router.lifespan_context(app):
        pass


asyncio.run(start_and_stop())
print("root log level:", logging.getLevelName(logging.getLogger().level))
"""


def start_app_once(
    app: str, env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """What uvicorn does first, in a fresh interpreter: import ``module:attr``, run the app's
    start-up and shutdown (its lifespan) once, then print the root logger's level
    (``root log level: DEBUG``). ``env`` is added to this process's environment; run it
    after :func:`isolate` so no stray setting leaks in."""
    return subprocess.run(
        [sys.executable, "-c", _START_ONCE, app],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
