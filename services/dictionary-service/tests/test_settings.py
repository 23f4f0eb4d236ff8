"""Settings: an empty value means unset; LOG_LEVEL (DICTIONARY_LOG_LEVEL first) in any case,
validated and applied at start-up."""

from __future__ import annotations

from datapact_testing.processes import free_port
from datapact_testing.settings import SettingsBehaviour
from dictionary_service.config import Settings


class TestSettings(SettingsBehaviour):
    settings = Settings
    app = "dictionary_service.main:app"
    own_log_level = "DICTIONARY_LOG_LEVEL"

    def dead_ends(self) -> dict[str, str]:
        return {
            "ENVIRONMENT": "test",
            "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/dictionary",
            "CONTRACT_SERVICE_URL": "http://127.0.0.1:9",
            "DICTIONARY_SYNC_ENABLED": "false",
        }
