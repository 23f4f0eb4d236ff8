"""Settings: every name is CONTRACT_<NAME> first, the shared name second; an empty value
means unset; LOG_LEVEL in any case, validated and applied at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contract_service.config import Settings
from datapact_testing.processes import free_port
from datapact_testing.settings import SettingsBehaviour, env_names, isolate


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path, Settings)


# A value for the shared name and another one for CONTRACT_<NAME>, as written in .env and
# as read. Every field read under a CONTRACT_ name must be here.
SAMPLES: dict[str, tuple[tuple[str, Any], tuple[str, Any]]] = {
    "database_url": (
        ("postgresql+asyncpg://shared@db/contracts", "postgresql+asyncpg://shared@db/contracts"),
        ("postgresql+asyncpg://own@db/contracts", "postgresql+asyncpg://own@db/contracts"),
    ),
    "redis_url": (
        ("redis://shared:6379/5", "redis://shared:6379/5"),
        ("redis://own/6", "redis://own/6"),
    ),
    "log_level": (("error", "ERROR"), ("debug", "DEBUG")),
    "database_pool_size": (("30", 30), ("5", 5)),
    "database_max_overflow": (("40", 40), ("0", 0)),
    "dictionary_nudge_enabled": (("false", False), ("true", True)),
    "dictionary_nudge_timeout_seconds": (("7", 7.0), ("0.5", 0.5)),
    "cors_origins": (('["https://shared.example"]', ["https://shared.example"]), ("[]", [])),
    "max_body_bytes": (("4096", 4096), ("8192", 8192)),
    "health_timeout_seconds": (("9", 9.0), ("1.5", 1.5)),
    "outbox_relay_interval_seconds": (("60", 60.0), ("0.25", 0.25)),
    "outbox_batch_size": (("7", 7), ("500", 500)),
    "outbox_request_timeout_seconds": (("11", 11.0), ("2", 2.0)),
    "outbox_max_backoff_seconds": (("600", 600.0), ("30", 30.0)),
    "outbox_task_max_retries": (("0", 0), ("9", 9)),
}


def prefixed_fields() -> dict[str, list[str]]:
    return {
        field: names
        for field, names in env_names(Settings).items()
        if names[0].startswith("CONTRACT_")
    }


def test_every_own_setting_has_the_prefixed_name_first_and_the_shared_name_second() -> None:
    fields = prefixed_fields()
    assert set(fields) == set(SAMPLES)
    for field, names in fields.items():
        assert names[:2] == [f"CONTRACT_{field.upper()}", field.upper()], field
    # Nothing of this service is read under an unprefixed name only, except the shared ones.
    shared_only = {f for f, names in env_names(Settings).items() if f not in fields}
    assert shared_only == {
        "environment",
        "datapact_secret_key",
        "datapact_reads_require_auth",
        "datapact_api_docs",
        "datapact_rate_limits",
        "datapact_rate_limit_documents",
        "datapact_rate_limit_searches",
        "notification_service_url",
        "dictionary_service_url",
    }


@pytest.mark.parametrize("field", sorted(SAMPLES))
def test_prefixed_name_wins_and_the_shared_name_is_the_fallback(
    monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    (shared_raw, shared), (own_raw, own) = SAMPLES[field]
    own_name, shared_name = env_names(Settings)[field][:2]
    monkeypatch.setenv(shared_name, shared_raw)
    assert getattr(Settings(), field) == shared
    monkeypatch.setenv(own_name, own_raw)
    assert getattr(Settings(), field) == own
    # An empty prefixed value counts as unset: the shared name applies again.
    monkeypatch.setenv(own_name, "")
    assert getattr(Settings(), field) == shared


def test_one_env_line_of_the_template_no_longer_changes_the_contract_service(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text(
        "TEMPLATE_DATABASE_POOL_SIZE=50\nTEMPLATE_HEALTH_TIMEOUT_SECONDS=30\n"
        "CONTRACT_DATABASE_POOL_SIZE=12\n"
    )
    settings = Settings()
    assert settings.database_pool_size == 12
    assert settings.health_timeout_seconds == 3.0


class TestSettings(SettingsBehaviour):
    settings = Settings
    app = "contract_service.main:app"
    own_log_level = "CONTRACT_LOG_LEVEL"

    def dead_ends(self) -> dict[str, str]:
        return {
            "ENVIRONMENT": "test",
            "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/contracts",
            "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "NOTIFICATION_SERVICE_URL": "http://127.0.0.1:9",
            "DICTIONARY_SERVICE_URL": "http://127.0.0.1:9",
        }
