"""Settings: an empty value means unset (the two .env lines that once stopped the service
included); LOG_LEVEL (TEMPLATE_LOG_LEVEL first) in any case, validated and applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_service.config import Settings
from datapact_testing.processes import free_port
from datapact_testing.settings import SettingsBehaviour


class TestSettings(SettingsBehaviour):
    settings = Settings
    app = "data_service.main:app"
    own_log_level = "TEMPLATE_LOG_LEVEL"

    def dead_ends(self) -> dict[str, str]:
        port = free_port()
        return {
            "ENVIRONMENT": "test",
            "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{port}/template_data",
        }

    def test_empty_environment_and_cache_seconds_mean_defaults(self, tmp_path: Path) -> None:
        (tmp_path / ".env").write_text("ENVIRONMENT=\nTEMPLATE_SCHEMA_CACHE_SECONDS=\n")
        settings = Settings()
        assert settings.environment == "development"
        assert settings.schema_cache_seconds == 0.0

    def test_empty_prefixed_name_falls_through_to_the_short_one(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TEMPLATE_SCHEMA_CACHE_SECONDS", "")
        monkeypatch.setenv("SCHEMA_CACHE_SECONDS", "5")
        assert Settings().schema_cache_seconds == 5.0
