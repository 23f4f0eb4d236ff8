"""Settings tests: the environment names of a settings class, read on a clean slate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar, Protocol

import pytest
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from datapact_common.settings import env_names


class MonkeyPatch(Protocol):
    """What is used of pytest's ``monkeypatch`` fixture."""

    def delenv(self, name: str, raising: bool = ...) -> None: ...

    def chdir(self, path: str | os.PathLike[str]) -> None: ...


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


class SettingsBehaviour:
    """What every service's settings promise, as tests a service's ``TestSettings`` inherits:
    an empty value means unset (in the environment and in ``.env``); LOG_LEVEL in any case,
    the service's own ``<PREFIX>_LOG_LEVEL`` first, validated, and applied at start-up.

    A subclass sets ``settings``, ``app`` (``module:attr``) and ``own_log_level`` and returns
    from ``dead_ends()`` the variables that point everything the app might reach at start-up
    at nothing real."""

    settings: ClassVar[type[BaseSettings]]
    app: ClassVar[str]
    own_log_level: ClassVar[str]

    def dead_ends(self) -> dict[str, str]:
        raise NotImplementedError

    @pytest.fixture(autouse=True)
    def clean_environment(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        isolate(monkeypatch, tmp_path, self.settings)

    def every_name(self) -> list[str]:
        return [name for names in env_names(self.settings).values() for name in names]

    def test_empty_values_in_the_environment_mean_defaults(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        defaults = self.settings()
        for name in self.every_name():
            monkeypatch.setenv(name, "")
        assert self.settings() == defaults

    def test_empty_values_in_dotenv_mean_defaults(self, tmp_path: Path) -> None:
        defaults = self.settings()
        (tmp_path / ".env").write_text("".join(f"{name}=\n" for name in self.every_name()))
        assert self.settings() == defaults

    @pytest.mark.parametrize("raw", ["info", "INFO", "Info", " info "])
    def test_log_level_in_any_case(self, monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
        monkeypatch.setenv("LOG_LEVEL", raw)
        assert getattr(self.settings(), "log_level") == "INFO"  # noqa: B009 - any settings class

    def test_own_log_level_first_then_the_shared_one(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert env_names(self.settings)["log_level"][:2] == [self.own_log_level, "LOG_LEVEL"]
        monkeypatch.setenv("LOG_LEVEL", "error")
        assert getattr(self.settings(), "log_level") == "ERROR"  # noqa: B009
        monkeypatch.setenv(self.own_log_level, "debug")
        assert getattr(self.settings(), "log_level") == "DEBUG"  # noqa: B009
        monkeypatch.setenv(self.own_log_level, "")
        assert getattr(self.settings(), "log_level") == "ERROR"  # noqa: B009

    @pytest.mark.parametrize("shared", [True, False], ids=["LOG_LEVEL", "own name"])
    def test_unknown_log_level_is_refused_with_the_allowed_names(
        self, monkeypatch: pytest.MonkeyPatch, shared: bool
    ) -> None:
        monkeypatch.setenv("LOG_LEVEL" if shared else self.own_log_level, "verbose")
        allowed = r"DEBUG, INFO, WARNING, ERROR, CRITICAL.*'verbose'"
        with pytest.raises(ValidationError, match=allowed):
            self.settings()

    def test_own_log_level_is_applied_at_start_up(self, tmp_path: Path) -> None:
        env = {**self.dead_ends(), "LOG_LEVEL": "error", self.own_log_level: "debug"}
        result = start_app_once(self.app, env, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "root log level: DEBUG" in result.stdout

    def test_shared_log_level_in_lower_case_is_applied_at_start_up(self, tmp_path: Path) -> None:
        result = start_app_once(self.app, {**self.dead_ends(), "LOG_LEVEL": "error"}, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "root log level: ERROR" in result.stdout

    def test_unknown_log_level_stops_the_start_up(self, tmp_path: Path) -> None:
        result = start_app_once(self.app, {**self.dead_ends(), "LOG_LEVEL": "loud"}, tmp_path)
        assert result.returncode != 0
        assert "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in result.stderr
