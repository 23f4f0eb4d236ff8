"""Settings: an empty value means unset; LOG_LEVEL (DICTIONARY_LOG_LEVEL first) in any case,
validated and applied at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from datapact_testing.processes import free_port
from datapact_testing.settings import env_names, isolate, start_app_once
from dictionary_service.config import Settings

APP = "dictionary_service.main:app"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path, Settings)


def every_name() -> list[str]:
    return [name for names in env_names(Settings).values() for name in names]


def test_empty_values_in_the_environment_mean_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = Settings()
    for name in every_name():
        monkeypatch.setenv(name, "")
    assert Settings() == defaults


def test_empty_values_in_dotenv_mean_defaults(tmp_path: Path) -> None:
    defaults = Settings()
    (tmp_path / ".env").write_text("".join(f"{name}=\n" for name in every_name()))
    assert Settings() == defaults


@pytest.mark.parametrize("raw", ["info", "INFO", "Info", " info "])
def test_log_level_in_any_case(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("LOG_LEVEL", raw)
    assert Settings().log_level == "INFO"


def test_own_log_level_first_then_the_shared_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_names(Settings)["log_level"][:2] == ["DICTIONARY_LOG_LEVEL", "LOG_LEVEL"]
    monkeypatch.setenv("LOG_LEVEL", "error")
    assert Settings().log_level == "ERROR"
    monkeypatch.setenv("DICTIONARY_LOG_LEVEL", "debug")
    assert Settings().log_level == "DEBUG"
    monkeypatch.setenv("DICTIONARY_LOG_LEVEL", "")
    assert Settings().log_level == "ERROR"


@pytest.mark.parametrize("name", ["LOG_LEVEL", "DICTIONARY_LOG_LEVEL"])
def test_unknown_log_level_is_refused_with_the_allowed_names(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "verbose")
    with pytest.raises(ValidationError, match=r"DEBUG, INFO, WARNING, ERROR, CRITICAL.*'verbose'"):
        Settings()


def dead_ends() -> dict[str, str]:
    """Nothing the app might reach at start-up is a real server."""
    return {
        "ENVIRONMENT": "test",
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/dictionary",
        "CONTRACT_SERVICE_URL": "http://127.0.0.1:9",
        "DICTIONARY_SYNC_ENABLED": "false",
    }


def test_log_level_is_applied_at_start_up(tmp_path: Path) -> None:
    env = {**dead_ends(), "LOG_LEVEL": "error", "DICTIONARY_LOG_LEVEL": "debug"}
    result = start_app_once(APP, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "root log level: DEBUG" in result.stdout


def test_shared_log_level_in_lower_case_is_applied_at_start_up(tmp_path: Path) -> None:
    result = start_app_once(APP, {**dead_ends(), "LOG_LEVEL": "error"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "root log level: ERROR" in result.stdout


def test_unknown_log_level_stops_the_start_up(tmp_path: Path) -> None:
    result = start_app_once(APP, {**dead_ends(), "LOG_LEVEL": "loud"}, tmp_path)
    assert result.returncode != 0
    assert "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in result.stderr
