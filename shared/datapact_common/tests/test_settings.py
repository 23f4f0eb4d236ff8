"""Settings refuse a known or short secret outside development/test."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import AliasChoices, ValidationError
from pydantic_settings import SettingsConfigDict

from datapact_common.settings import (
    DEVELOPMENT_SECRET,
    LOG_LEVELS,
    MIN_SECRET_LENGTH,
    LogLevel,
    ServiceSettings,
    log_level_field,
)

STRONG = "x" * MIN_SECRET_LENGTH


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ENVIRONMENT", "DATAPACT_SECRET_KEY", "DATAPACT_READS_REQUIRE_AUTH", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


@pytest.mark.parametrize("environment", ["development", "test"])
def test_default_secret_is_fine_for_development_and_test(
    monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    monkeypatch.setenv("ENVIRONMENT", environment)
    settings = ServiceSettings()
    assert settings.datapact_secret_key == DEVELOPMENT_SECRET
    assert settings.is_development == (environment == "development")


def test_defaults() -> None:
    settings = ServiceSettings()
    assert settings.environment == "development"
    assert settings.datapact_reads_require_auth is False


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_default_secret_is_refused_elsewhere(
    monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    monkeypatch.setenv("ENVIRONMENT", environment)
    with pytest.raises(ValidationError, match="DATAPACT_SECRET_KEY is the development default"):
        ServiceSettings()


def test_short_secret_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATAPACT_SECRET_KEY", "short")
    with pytest.raises(ValidationError, match=f"at least {MIN_SECRET_LENGTH} characters"):
        ServiceSettings()


def test_strong_secret_is_accepted_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATAPACT_SECRET_KEY", STRONG)
    assert ServiceSettings().datapact_secret_key == STRONG


def test_secret_is_not_shown_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAPACT_SECRET_KEY", STRONG)
    assert STRONG not in repr(ServiceSettings())


def test_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "prod")
    with pytest.raises(ValidationError, match="environment"):
        ServiceSettings()


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"ENVIRONMENT=production\nDATAPACT_SECRET_KEY={STRONG}\nDATAPACT_READS_REQUIRE_AUTH=true\n"
    )
    settings = ServiceSettings()
    assert settings.environment == "production"
    assert settings.datapact_reads_require_auth is True


def test_environment_wins_over_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ENVIRONMENT=production\n")
    monkeypatch.setenv("ENVIRONMENT", "test")
    assert ServiceSettings().environment == "test"


def test_empty_values_mean_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # ENVIRONMENT= once stopped every service that did not set env_ignore_empty itself.
    (tmp_path / ".env").write_text("ENVIRONMENT=\nDATAPACT_SECRET_KEY=\nLOG_LEVEL=\n")
    monkeypatch.setenv("DATAPACT_READS_REQUIRE_AUTH", "")
    settings = ServiceSettings()
    assert settings.environment == "development"
    assert settings.datapact_secret_key == DEVELOPMENT_SECRET
    assert settings.datapact_reads_require_auth is False
    assert settings.log_level == "INFO"


def test_subclasses_inherit_the_configuration() -> None:
    class Child(ServiceSettings):
        model_config = SettingsConfigDict(populate_by_name=True)

    assert Child.model_config.get("env_ignore_empty") is True
    assert Child.model_config.get("env_file") == ".env"


@pytest.mark.parametrize("raw", ["debug", "DEBUG", "Debug", " debug\t"])
def test_log_level_in_any_case(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("LOG_LEVEL", raw)
    assert ServiceSettings().log_level == "DEBUG"


def test_unknown_log_level_names_the_allowed_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "verbose")
    with pytest.raises(ValidationError) as caught:
        ServiceSettings()
    assert ", ".join(LOG_LEVELS) in str(caught.value)
    assert "'verbose'" in str(caught.value)


def test_prefixed_log_level_field() -> None:
    class Child(ServiceSettings):
        log_level: LogLevel = log_level_field("CHILD")

    field = Child.model_fields["log_level"]
    assert isinstance(field.validation_alias, AliasChoices)
    assert field.validation_alias.choices[:2] == ["CHILD_LOG_LEVEL", "LOG_LEVEL"]


def test_configure_logging_sets_the_root_level(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", root.level)  # restored afterwards
    monkeypatch.setenv("LOG_LEVEL", "error")
    ServiceSettings().configure_logging()
    assert root.level == logging.ERROR


def test_api_documentation_is_served_except_in_production_unless_asked() -> None:
    secret = "s" * 40
    off = {"docs_url": None, "redoc_url": None, "openapi_url": None}
    assert ServiceSettings(environment="development").api_docs_options() == {}
    production = ServiceSettings(environment="production", datapact_secret_key=secret)
    assert production.api_docs_options() == off
    forced = ServiceSettings(
        environment="production", datapact_secret_key=secret, datapact_api_docs=True
    )
    assert forced.api_docs_options() == {}
    assert ServiceSettings(datapact_api_docs=False).api_docs_options() == off
